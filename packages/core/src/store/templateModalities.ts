import { SmartCitizenError } from '../errors/index.js';
import type { ConsentScope } from '../privacy/consent.js';
import type { TemplateInput } from './IdentityStore.js';
import { decodeEmbedding } from './embedding.js';

/** Largest template or stored image accepted (bytes). */
export const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

/** Why a template is refused: a message, optionally with non-personal details (sizes, counts). */
export type TemplateProblem = string | { message: string; details: Record<string, number | string> };

/** What {@link TemplateModality.check} is told about the store. */
export interface TemplateCheckContext {
  /** The store's fixed face-embedding length, when it has one. */
  faceDimension?: number;
}

/**
 * One kind of biometric template the identity store keeps (always sealed with AES-256-GCM).
 * The store, every driver and the conformance suite read this table; a driver never branches
 * on the kind (it stores it as text).
 */
export interface TemplateModality {
  /** What the kind holds (for docs and error messages; no personal data). */
  description: string;
  /** The consent scope that covers enrolling and matching this kind. */
  consentScope: ConsentScope;
  /**
   * Accepted values of `format`, or `undefined` for any short lower-case format name
   * (`[a-z0-9][a-z0-9.+-]{0,39}`).
   */
  formats?: readonly string[];
  /**
   * Checks of the plaintext beyond size and format.
   * @returns a problem (no template values in it), or `undefined` when the template is usable
   */
  check?: (data: Uint8Array, format: string, context: TemplateCheckContext) => TemplateProblem | undefined;
  /**
   * For kinds searched 1:N by cosine similarity: the vector of a template. The store keeps
   * such kinds in the driver's vector index when it has one (pgvector), otherwise in an
   * in-process exact scan, and `searchFaces` searches the `face` kind.
   */
  vector?: (data: Uint8Array) => Float32Array;
}

function checkFaceEmbedding(
  data: Uint8Array,
  _format: string,
  context: TemplateCheckContext,
): TemplateProblem | undefined {
  if (data.length % 4 !== 0) return 'f32 data length must be a multiple of 4';
  const v = decodeEmbedding(data);
  if (context.faceDimension !== undefined && v.length !== context.faceDimension) {
    return {
      message: `face embeddings must have ${context.faceDimension} dimensions`,
      details: { expected: context.faceDimension, got: v.length },
    };
  }
  let sum = 0;
  for (const x of v) {
    if (!Number.isFinite(x)) return 'face embedding contains a non-finite value';
    sum += x * x;
  }
  return sum === 0 ? 'face embedding is all zeros' : undefined;
}

/**
 * The kinds of template the identity store accepts, one row each. Adding a modality (say an
 * iris code) is one row here; a sensor package that matches its templates 1:N by something
 * other than cosine similarity passes its own index to `createIdentityStore({ indexes })`.
 */
export const templateModalities = {
  face: {
    description: 'a face embedding, format f32 (little-endian float32)',
    consentScope: 'face',
    formats: ['f32'],
    check: checkFaceEmbedding,
    vector: decodeEmbedding,
  },
  fingerprint: {
    description: 'a fingerprint minutiae template, e.g. format iso-19794-2 or ansi-378',
    consentScope: 'fingerprint',
  },
  'face-image': {
    description: 'a reference portrait, e.g. format jpeg or png',
    consentScope: 'face',
  },
} as const satisfies Record<string, TemplateModality>;

/**
 * Kinds of biometric data a store keeps, always encrypted at rest: the keys of
 * {@link templateModalities}.
 */
export type TemplateKind = keyof typeof templateModalities;

/** The template kinds, in table order. */
export const templateKinds = Object.keys(templateModalities) as TemplateKind[];

/** The row of a kind, or `undefined` for an unknown kind (e.g. from untyped input). */
export function templateModality(kind: unknown): TemplateModality | undefined {
  return typeof kind === 'string' && Object.hasOwn(templateModalities, kind)
    ? (templateModalities as Record<string, TemplateModality>)[kind]
    : undefined;
}

/**
 * Check a template before it is sealed and stored: the generic rules (kind, format, size,
 * label) and then its modality's own {@link TemplateModality.check}.
 * @internal used by `createIdentityStore`
 * @param t - the template
 * @param pkg - the package named in errors
 * @param faceDimension - when set, face embeddings must have this many dimensions
 * @returns the template's modality
 * @throws SmartCitizenError `store/invalid-template`
 */
export function checkTemplateInput(t: TemplateInput, pkg = 'core', faceDimension?: number): TemplateModality {
  const bad = (m: string) => new SmartCitizenError('store/invalid-template', m, { pkg });
  if (typeof t !== 'object' || t === null) throw bad('template must be an object');
  const modality = templateModality(t.kind);
  if (!modality) throw bad('unknown template kind');
  if (typeof t.format !== 'string' || !/^[a-z0-9][a-z0-9.+-]{0,39}$/.test(t.format)) throw bad('bad template format');
  if (modality.formats && !modality.formats.includes(t.format)) {
    throw bad(`${t.kind} templates must use format ${modality.formats.join(' or ')}`);
  }
  if (!(t.data instanceof Uint8Array) || t.data.length === 0) throw bad('template data must be a non-empty Uint8Array');
  if (t.data.length > MAX_TEMPLATE_BYTES) throw bad('template data is too large');
  if (t.label !== undefined && (typeof t.label !== 'string' || t.label.length > 64)) throw bad('bad template label');
  const problem = modality.check?.(t.data, t.format, faceDimension === undefined ? {} : { faceDimension });
  if (typeof problem === 'string') throw bad(problem);
  if (problem)
    throw new SmartCitizenError('store/invalid-template', problem.message, { pkg, details: problem.details });
  return modality;
}
