import { SmartCitizenError } from '../errors/index.js';
import type { PartialDate } from '../identity/index.js';
import { citizenIdentityFields } from '../identity/index.js';
import { isIdNumberFormat } from '../rules/idNumber.js';
import type { StoredIdentity } from './IdentityStore.js';
import type { TemplateKind } from './templateModalities.js';

export { decodeEmbedding, encodeEmbedding } from './embedding.js';
export { MAX_TEMPLATE_BYTES, checkTemplateInput } from './templateModalities.js';

const dateFields = new Set(['dateOfBirth', 'issueDate', 'expiryDate']);
const cardTypes = new Set(['cmnd', 'cccd-2016', 'cccd-chip-2021', 'can-cuoc-2024', 'unknown']);

function checkDate(d: unknown): d is PartialDate {
  if (typeof d !== 'object' || d === null) return false;
  const { year, month, day, ...rest } = d as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return false;
  if (!Number.isInteger(year) || (year as number) < 1800 || (year as number) > 2300) return false;
  if (month !== undefined && (!Number.isInteger(month) || (month as number) < 1 || (month as number) > 12))
    return false;
  if (
    day !== undefined &&
    (month === undefined || !Number.isInteger(day) || (day as number) < 1 || (day as number) > 31)
  )
    return false;
  return true;
}

/**
 * Check an identity before it is stored and return a clean copy with only known fields.
 * @internal shared by the store adapters
 * @throws SmartCitizenError `store/invalid-identity` naming the field (never its value)
 */
export function normalizeStoredIdentity(input: StoredIdentity, pkg = 'core'): StoredIdentity {
  const bad = (field: string, why: string) =>
    new SmartCitizenError('store/invalid-identity', `identity field ${field} ${why}`, { pkg, details: { field } });
  if (typeof input !== 'object' || input === null) throw bad('(root)', 'must be an object');
  if (!isIdNumberFormat(input.idNumber)) throw bad('idNumber', 'must be 12 digits');
  const out: Record<string, unknown> = {};
  for (const field of citizenIdentityFields) {
    const v = (input as unknown as Record<string, unknown>)[field];
    if (v === undefined) continue;
    if (dateFields.has(field)) {
      if (!checkDate(v)) throw bad(field, 'must be a partial date {year, month?, day?}');
      const d = v as PartialDate;
      out[field] = {
        year: d.year,
        ...(d.month !== undefined ? { month: d.month } : {}),
        ...(d.day !== undefined ? { day: d.day } : {}),
      };
    } else if (field === 'sex') {
      if (v !== 'M' && v !== 'F') throw bad(field, 'must be M or F');
      out[field] = v;
    } else if (field === 'noExpiry') {
      if (typeof v !== 'boolean') throw bad(field, 'must be a boolean');
      out[field] = v;
    } else if (field === 'cardType') {
      if (typeof v !== 'string' || !cardTypes.has(v)) throw bad(field, 'is not a known card type');
      out[field] = v;
    } else if (field === 'oldIdNumber') {
      if (typeof v !== 'string' || !/^(\d{9}|\d{12})$/.test(v)) throw bad(field, 'must be 9 or 12 digits');
      out[field] = v;
    } else {
      if (typeof v !== 'string' || v.length > 1000) throw bad(field, 'must be a string of at most 1000 characters');
      out[field] = v.normalize('NFC');
    }
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
