import { SmartCitizenError } from '../errors/index.js';
import type { PartialDate } from '../identity/index.js';
import { citizenIdentityFields } from '../identity/index.js';
import type { StoredIdentity, TemplateInput, TemplateKind } from './IdentityStore.js';

const dateFields = new Set(['dateOfBirth', 'issueDate', 'expiryDate']);
const cardTypes = new Set(['cmnd', 'cccd-2016', 'cccd-chip-2021', 'can-cuoc-2024', 'unknown']);
const templateKinds: readonly TemplateKind[] = ['face', 'fingerprint', 'face-image'];

/** Largest template or stored image accepted (bytes). */
export const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

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
 * True for a 12-digit personal identification number (format only; the province, century and
 * sex rules are checked by `validateIdNumber`).
 */
export function isIdNumberFormat(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value);
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
 * Check a template before it is encrypted and stored.
 * @internal shared by the store adapters
 * @param faceDimension - when set, face embeddings must have this many dimensions
 * @throws SmartCitizenError `store/invalid-template`
 */
export function checkTemplateInput(t: TemplateInput, pkg = 'core', faceDimension?: number): void {
  const bad = (m: string) => new SmartCitizenError('store/invalid-template', m, { pkg });
  if (typeof t !== 'object' || t === null) throw bad('template must be an object');
  if (!templateKinds.includes(t.kind)) throw bad('unknown template kind');
  if (typeof t.format !== 'string' || !/^[a-z0-9][a-z0-9.+-]{0,39}$/.test(t.format)) throw bad('bad template format');
  if (!(t.data instanceof Uint8Array) || t.data.length === 0) throw bad('template data must be a non-empty Uint8Array');
  if (t.data.length > MAX_TEMPLATE_BYTES) throw bad('template data is too large');
  if (t.label !== undefined && (typeof t.label !== 'string' || t.label.length > 64)) throw bad('bad template label');
  if (t.kind === 'face') {
    if (t.format !== 'f32') throw bad('face embeddings must use format f32 (little-endian float32)');
    if (t.data.length % 4 !== 0) throw bad('f32 data length must be a multiple of 4');
    const v = decodeEmbedding(t.data);
    if (faceDimension !== undefined && v.length !== faceDimension) {
      throw new SmartCitizenError('store/invalid-template', `face embeddings must have ${faceDimension} dimensions`, {
        pkg,
        details: { expected: faceDimension, got: v.length },
      });
    }
    for (const x of v) if (!Number.isFinite(x)) throw bad('face embedding contains a non-finite value');
    if (norm(v) === 0) throw bad('face embedding is all zeros');
  }
}

/**
 * Additional authenticated data of a template: binds the ciphertext to its row so it cannot be
 * moved to another citizen or kind.
 * @internal
 */
export function templateAad(templateId: string, idNumber: string, kind: TemplateKind): string {
  return `sc-template-v1|${templateId}|${idNumber}|${kind}`;
}

/**
 * Encode a face embedding as `f32` bytes (little-endian float32).
 * @param v - embedding
 * @returns bytes for {@link TemplateInput.data}
 */
export function encodeEmbedding(v: Float32Array | readonly number[]): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) dv.setFloat32(i * 4, v[i] ?? 0, true);
  return out;
}

/**
 * Decode `f32` bytes into an embedding.
 * @param bytes - little-endian float32
 * @returns the embedding
 */
export function decodeEmbedding(bytes: Uint8Array): Float32Array {
  const n = Math.floor(bytes.length / 4);
  const out = new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/**
 * Cosine similarity of two vectors of the same length (0 when either is all zeros).
 * @throws RangeError when lengths differ
 */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
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

/** A copy scaled to unit length. */
export function normalizeVector(v: Float32Array): Float32Array {
  const n = norm(v);
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / n;
  return out;
}
