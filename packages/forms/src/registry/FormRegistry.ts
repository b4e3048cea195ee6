import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldDefinition, FormDefinition, LayoutBlock, LocalizedText } from '../FormDefinition.js';
import { formFormats } from '../validate/formats.js';
import { builtinForms } from './builtinForms.js';
import { formDefinitionSchema } from './formDefinitionSchema.js';
import { FormsError } from '../errors.js';

// ajv-formats is CommonJS: its default import is the plugin under Node ESM and bundlers alike,
// but some interop layers wrap it once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** A form in a registry: its definition and its compiled validator. */
export interface RegisteredForm {
  readonly definition: FormDefinition;
  /** The compiled JSON Schema validator of the form data. @internal */
  readonly validateSchema: ValidateFunction;
  /** Field definitions by dotted path. */
  readonly fields: ReadonlyMap<string, FieldDefinition>;
}

/** One line of {@link FormRegistry.list}. */
export interface FormSummary {
  id: string;
  version: string;
  title: LocalizedText;
  /** Legal instrument(s) the form comes from. */
  sources: string[];
  fieldCount: number;
}

/** Options of {@link createFormRegistry}. */
export interface FormRegistryOptions {
  /**
   * Start with the forms shipped with the package (CT01, birth registration, marital status,
   * CC01, business household).
   * @default true
   */
  builtins?: boolean;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
    .join('; ');
}

/** Every dotted path the schema declares (objects descended, `$ref` to `#/$defs/…` followed). */
function schemaPaths(schema: Record<string, unknown>): Set<string> {
  const defs = (schema.$defs ?? {}) as Record<string, Record<string, unknown>>;
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, prefix: string, depth: number) => {
    if (depth > 8) return;
    let n = node;
    const ref = n.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) n = defs[ref.slice(8)] ?? {};
    const props = n.properties as Record<string, Record<string, unknown>> | undefined;
    if (!props) return;
    for (const [k, v] of Object.entries(props)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      walk(v, p, depth + 1);
    }
  };
  walk(schema, '', 0);
  return out;
}

function blockPaths(b: LayoutBlock): string[] {
  switch (b.kind) {
    case 'field':
    case 'address':
    case 'table':
      return [b.path];
    case 'row':
      return b.paths;
    case 'signature':
      return [b.datePath, b.placePath].filter((x): x is string => x !== undefined);
    default:
      return [];
  }
}

/**
 * The forms an application knows: list them, get one by id (and version), register your own.
 * Every definition is checked when registered: its shape, its JSON Schema (compiled with ajv),
 * and that every field, layout block and rule names a path the schema declares.
 */
export class FormRegistry {
  readonly #ajv: Ajv2020;
  readonly #checkDefinition: ValidateFunction;
  readonly #forms = new Map<string, RegisteredForm[]>();

  constructor(options: FormRegistryOptions = {}) {
    this.#ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
      logger: false,
    });
    addFormats(this.#ajv);
    for (const [name, check] of Object.entries(formFormats))
      this.#ajv.addFormat(name, { type: 'string', validate: check });
    this.#checkDefinition = this.#ajv.compile(formDefinitionSchema);
    if (options.builtins ?? true) for (const def of builtinForms) this.register(def);
  }

  /**
   * Add a form definition.
   * @param definition - The definition (data: JSON-compatible).
   * @returns The registered form.
   * @throws SmartCitizenError `forms/invalid-definition` when the definition is not valid,
   *   `forms/duplicate-form` when the id and version are already registered.
   */
  register(definition: FormDefinition): RegisteredForm {
    const invalid = (message: string, cause?: unknown) =>
      new FormsError('forms/invalid-definition', `form definition: ${message}`, {
        cause,
        details: { id: String((definition as { id?: unknown })?.id ?? '') },
      });
    if (definition === null || typeof definition !== 'object') throw invalid('expected an object');
    if (!this.#checkDefinition(definition)) throw invalid(describeErrors(this.#checkDefinition.errors));
    const existing = this.#forms.get(definition.id) ?? [];
    if (existing.some((f) => f.definition.version === definition.version)) {
      throw new FormsError(
        'forms/duplicate-form',
        `form ${definition.id} ${definition.version} is already registered`,
        {},
      );
    }
    let validateSchema: ValidateFunction;
    try {
      // Each form schema is compiled on its own (no $id): the same $defs names may repeat.
      const { $id: _ignored, ...schema } = definition.schema;
      validateSchema = this.#ajv.compile(schema);
    } catch (cause) {
      throw invalid('its JSON Schema does not compile', cause);
    }
    const paths = schemaPaths(definition.schema);
    const fields = new Map<string, FieldDefinition>();
    for (const f of definition.fields) {
      if (!paths.has(f.path)) throw invalid(`field '${f.path}' is not in the schema`);
      if (fields.has(f.path)) throw invalid(`field '${f.path}' is declared twice`);
      for (const src of f.from ?? []) {
        if ('data' in src && !paths.has(src.data))
          throw invalid(`field '${f.path}' reads '${src.data}', not in the schema`);
        if (src.when && 'data' in src.when && !paths.has(src.when.data)) {
          throw invalid(`field '${f.path}' has a condition on '${src.when.data}', not in the schema`);
        }
      }
      fields.set(f.path, f);
    }
    for (const b of definition.layout.blocks) {
      for (const p of blockPaths(b))
        if (!fields.has(p)) throw invalid(`layout block '${b.kind}' names '${p}', not a field`);
    }
    for (const r of definition.rules ?? []) {
      const others = r.kind === 'date-after' ? [r.after] : r.kind === 'required-if' ? [r.if] : [];
      for (const p of [r.path, ...others])
        if (!paths.has(p)) throw invalid(`rule '${r.kind}' names '${p}', not in the schema`);
    }
    const form: RegisteredForm = { definition: structuredClone(definition), validateSchema, fields };
    existing.push(form);
    existing.sort((a, b) => compareVersions(a.definition.version, b.definition.version));
    this.#forms.set(definition.id, existing);
    return form;
  }

  /**
   * A form by id, the latest version unless one is named.
   * @param id - The form id, e.g. `ct01`.
   * @param version - An exact version.
   * @returns The registered form.
   * @throws SmartCitizenError `forms/unknown-form` when there is no such form or version.
   */
  get(id: string, version?: string): RegisteredForm {
    const list = typeof id === 'string' ? this.#forms.get(id) : undefined;
    const form = version === undefined ? list?.[list.length - 1] : list?.find((f) => f.definition.version === version);
    if (!form) {
      throw new FormsError(
        'forms/unknown-form',
        `unknown form '${String(id).slice(0, 64)}'${version ? ` version ${version}` : ''}`,
        {
          details: { known: [...this.#forms.keys()] },
        },
      );
    }
    return form;
  }

  /** True when the form (and version) is registered. */
  has(id: string, version?: string): boolean {
    const list = this.#forms.get(id);
    return !!list && (version === undefined || list.some((f) => f.definition.version === version));
  }

  /**
   * Every registered form version, sorted by id then version.
   * @returns One summary per id and version.
   */
  list(): FormSummary[] {
    return [...this.#forms.keys()].sort().flatMap((id) =>
      (this.#forms.get(id) ?? []).map((f) => ({
        id,
        version: f.definition.version,
        title: f.definition.title,
        sources: f.definition.sources.map((s) => (s.annex ? `${s.document}, ${s.annex}` : s.document)),
        fieldCount: f.definition.fields.length,
      })),
    );
  }
}

/**
 * Make a form registry.
 * @param options - {@link FormRegistryOptions}.
 * @returns A registry, with the built-in forms unless `builtins: false`.
 */
export function createFormRegistry(options: FormRegistryOptions = {}): FormRegistry {
  return new FormRegistry(options);
}

let shared: FormRegistry | undefined;

/** The registry `fillForm` uses when none is given: the built-in forms, created on first use. */
export function defaultFormRegistry(): FormRegistry {
  shared ??= new FormRegistry();
  return shared;
}
