import {
  type PartialDate,
  ageOn,
  comparePartialDates,
  daysInMonth,
  foldForCompare,
  safeParseDate,
  toPartialDate,
} from '@smart-citizen/core';
import type { ErrorObject } from 'ajv';
import type { LocalizedText } from '../FormDefinition.js';
import { type FormIssue, formIssue } from '../FormIssue.js';
import { getPath, isPresent } from '../paths.js';
import type { RegisteredForm } from '../registry/FormRegistry.js';
import { fillTemplate, formatMessages, keywordMessages, typeName } from './messages.js';

/** Options of {@link validateFormData}. */
export interface ValidateFormDataOptions {
  /**
   * Today, for the "not in the future" rules.
   * @default new Date()
   */
  today?: Date;
  /**
   * Report missing required fields as issues (`forms/required`).
   * @default true
   */
  reportRequired?: boolean;
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function labelOf(form: RegisteredForm, path: string): LocalizedText {
  const exact = form.fields.get(path);
  if (exact) return exact.label;
  // `members.0.fullName` → label of `members` + the sub-field name.
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const f = form.fields.get(parts.slice(0, i).join('.'));
    if (f) {
      const tail = parts.slice(i).join('.');
      return { vi: `${f.label.vi} (${tail})`, en: `${f.label.en} (${tail})` };
    }
  }
  return { vi: path || 'biểu mẫu', en: path || 'form' };
}

function ajvIssue(form: RegisteredForm, e: ErrorObject): FormIssue {
  let path = pointerToPath(e.instancePath);
  let limit = '';
  let template = keywordMessages[e.keyword] ?? keywordMessages.default!;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      path = path ? `${path}.${String(params.missingProperty)}` : String(params.missingProperty);
      break;
    case 'format':
      template = formatMessages[String(params.format)] ?? formatMessages.default!;
      break;
    case 'enum':
      limit = ((params.allowedValues as unknown[]) ?? []).map(String).join(', ');
      break;
    case 'additionalProperties':
      limit = String(params.additionalProperty).slice(0, 64);
      break;
    case 'type':
      break;
    default:
      limit = params.limit === undefined ? '' : String(params.limit);
  }
  const label = labelOf(form, path);
  const typeLimit = (lang: 'vi' | 'en') => (e.keyword === 'type' ? typeName(String(params.type), lang) : limit);
  return formIssue(
    e.keyword === 'required' ? 'forms/required' : e.keyword === 'format' ? 'forms/format' : `forms/${e.keyword}`,
    'error',
    {
      vi: fillTemplate(template.vi, label.vi, typeLimit('vi')),
      en: fillTemplate(template.en, label.en, typeLimit('en')),
    },
    path,
  );
}

function readDate(v: unknown): PartialDate | undefined {
  if (typeof v !== 'string' || !isPresent(v)) return undefined;
  const r = safeParseDate(v, 'dd/mm/yyyy');
  return r.ok ? r.value : undefined;
}

function matchesOneOf(value: unknown, oneOf: readonly string[]): boolean {
  if (!isPresent(value)) return false;
  if (oneOf.includes('*')) return true;
  const v = foldForCompare(String(value));
  return oneOf.some((o) => foldForCompare(o) === v);
}

/**
 * Validate form data: the form's JSON Schema (required fields, types, formats, lengths) and
 * its cross-field rules (a child born after the parents, dates not in the future, fields
 * required by others), with messages in Vietnamese and English.
 *
 * @param form - A registered form (from a {@link FormRegistry}).
 * @param data - The form data.
 * @param options - {@link ValidateFormDataOptions}.
 * @returns The issues; empty when the data is valid.
 */
export function validateFormData(
  form: RegisteredForm,
  data: unknown,
  options: ValidateFormDataOptions = {},
): FormIssue[] {
  const issues: FormIssue[] = [];
  const reportRequired = options.reportRequired ?? true;
  if (!form.validateSchema(data)) {
    for (const e of form.validateSchema.errors ?? []) {
      if (e.keyword === 'required' && !reportRequired) continue;
      // `oneOf`/`anyOf`/`if` wrappers repeat what their branches said.
      if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
      issues.push(ajvIssue(form, e));
    }
  }
  const today = toPartialDate(options.today ?? new Date());
  for (const rule of form.definition.rules ?? []) {
    switch (rule.kind) {
      case 'date-not-future': {
        const d = readDate(getPath(data, rule.path));
        if (d && comparePartialDates(d, today) > 0)
          issues.push(formIssue('forms/date-in-future', 'error', rule.message, rule.path));
        break;
      }
      case 'date-after': {
        const later = readDate(getPath(data, rule.path));
        const earlier = readDate(getPath(data, rule.after));
        if (!later || !earlier) break;
        const minYears = rule.minYears ?? 0;
        // Only a certain violation is an error: with partial dates (parents' year of birth)
        // take the reading most favourable to the data.
        const bad =
          minYears > 0
            ? ageOn(
                { year: earlier.year, month: earlier.month ?? 1, day: earlier.day ?? 1 },
                {
                  year: later.year,
                  month: later.month ?? 12,
                  day: later.day ?? daysInMonth(later.year, later.month ?? 12),
                },
              ) < minYears
            : comparePartialDates(later, earlier) < 0;
        if (bad) issues.push(formIssue('forms/date-order', 'error', rule.message, rule.path));
        break;
      }
      case 'required-if': {
        if (matchesOneOf(getPath(data, rule.if), rule.oneOf) && !isPresent(getPath(data, rule.path))) {
          issues.push(formIssue('forms/required-if', 'error', rule.message, rule.path));
        }
        break;
      }
    }
  }
  return issues;
}
