import { SmartCitizenError } from '../errors/index.js';
import { checkCitizenIdentity, type IdentityFieldProblem } from '../identity/index.js';
import { isIdNumberFormat } from '../rules/idNumber.js';
import type { StoredIdentity } from './IdentityStore.js';
import type { TemplateKind } from './templateModalities.js';

export { decodeEmbedding, encodeEmbedding } from './embedding.js';
export { MAX_TEMPLATE_BYTES, checkTemplateInput } from './templateModalities.js';

const why: Record<IdentityFieldProblem, string> = {
  'bad-date': 'must be a partial date {year, month?, day?}',
  'bad-sex': 'must be M or F',
  'bad-boolean': 'must be a boolean',
  'bad-card-type': 'is not a known card type',
  'bad-old-id-number': 'must be 9 or 12 digits',
  'bad-text': 'must be a string of at most 1000 characters',
};

// Text no store can keep exactly: a NUL (PostgreSQL text and jsonb refuse it) or a lone UTF-16
// surrogate (not Unicode; UTF-8 drivers would store U+FFFD instead). Refused the same way by
// every driver, so no driver stores a silently different name.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Check an identity before it is stored and return a clean copy with only known fields: the
 * field types by core's one {@link checkCitizenIdentity}, then text at most 1000 characters,
 * well-formed Unicode without NUL, NFC.
 * @internal shared by the store adapters
 * @throws SmartCitizenError `store/invalid-identity` naming the field (never its value)
 */
export function normalizeStoredIdentity(input: StoredIdentity, pkg = 'core'): StoredIdentity {
  const bad = (field: string, reason: string) =>
    new SmartCitizenError('store/invalid-identity', `identity field ${field} ${reason}`, { pkg, details: { field } });
  if (typeof input !== 'object' || input === null) throw bad('(root)', 'must be an object');
  if (!isIdNumberFormat(input.idNumber)) throw bad('idNumber', 'must be 12 digits');
  const { identity, problems } = checkCitizenIdentity(input);
  const first = problems[0];
  if (first) throw bad(first.field, why[first.problem]);
  const out = identity as Record<string, unknown>;
  for (const [field, v] of Object.entries(out)) {
    if (typeof v !== 'string' || field === 'sex' || field === 'cardType' || field === 'oldIdNumber') continue;
    if (v.length > 1000) throw bad(field, why['bad-text']);
    if (UNSTORABLE.test(v)) throw bad(field, 'must be well-formed Unicode text without NUL characters');
    out[field] = v.normalize('NFC');
  }
  return out as unknown as StoredIdentity;
}

/**
 * Additional authenticated data of a template: binds the ciphertext to its row so it cannot be
 * moved to another citizen or kind.
 * @internal
 */
export function templateAad(templateId: string, idNumber: string, kind: TemplateKind): string {
  return `sc-template-v1|${templateId}|${idNumber}|${kind}`;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/**
 * Cosine similarity of two vectors of the same length, in [-1, 1] (0 when either is all zeros):
 * the SDK's one definition (store search, session, face matching).
 * @throws RangeError when lengths differ
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError('[@smart-citizen/core] vectors have different lengths');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A copy scaled to unit length (a zero vector stays zero): the SDK's one L2 normalisation. */
export function normalizeVector(v: ArrayLike<number>): Float32Array {
  const n = norm(v);
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / n;
  return out;
}
