import { FingerprintError } from '../errors.js';
import type { FingerprintTemplate, Minutia } from '../types.js';

const MAGIC = [0x53, 0x43, 0x46, 0x31]; // "SCF1"
const HEADER = 4 + 2 + 2 + 1 + 1; // magic, width, height, quality (255 = none), count
const MINUTIA = 6;
const CHECK = 4;

const bad = (message: string) => new FingerprintError('fingerprint/bad-template', message);

function fnv1a(bytes: Uint8Array, end: number): number {
  let h = 2166136261;
  for (let i = 0; i < end; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/**
 * The package's compact template: `SCF1`, width, height (u16, 500 dpi), quality (255 when
 * unknown), minutia count, then 6 bytes a minutia (x, y as u16; angle in 1.40625° units;
 * bit 7 = bifurcation, bits 0–6 = quality) and an FNV-1a checksum. About 6 bytes a minutia,
 * the same as ISO, without the 26-byte header, and with a checksum that catches corruption.
 */
export function encodeTemplate(t: FingerprintTemplate): Uint8Array {
  const ms = t.minutiae.slice(0, 255);
  const out = new Uint8Array(HEADER + ms.length * MINUTIA + CHECK);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  v.setUint16(4, Math.max(0, Math.min(0xffff, Math.round(t.width))));
  v.setUint16(6, Math.max(0, Math.min(0xffff, Math.round(t.height))));
  v.setUint8(8, t.quality === undefined ? 255 : Math.max(0, Math.min(100, Math.round(t.quality))));
  v.setUint8(9, ms.length);
  let o = HEADER;
  for (const m of ms) {
    v.setUint16(o, Math.max(0, Math.min(0xffff, Math.round(m.x))));
    v.setUint16(o + 2, Math.max(0, Math.min(0xffff, Math.round(m.y))));
    v.setUint8(o + 4, Math.round((m.angle / (2 * Math.PI)) * 256) & 255);
    v.setUint8(o + 5, (m.type === 'bifurcation' ? 128 : 0) | Math.max(0, Math.min(100, Math.round(m.quality))));
    o += MINUTIA;
  }
  v.setUint32(o, fnv1a(out, o));
  return out;
}

/**
 * Read a template written by {@link encodeTemplate}.
 * @throws FingerprintError `fingerprint/bad-template` when the magic, length, checksum or a
 *   field is wrong.
 */
export function decodeTemplate(bytes: Uint8Array): FingerprintTemplate {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes.length < HEADER + CHECK) throw bad('native template too short');
  for (let k = 0; k < 4; k++) if (bytes[k] !== MAGIC[k]) throw bad('not a native template (magic SCF1)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint8(9);
  if (bytes.length !== HEADER + count * MINUTIA + CHECK) throw bad('native template length disagrees with its count');
  const end = HEADER + count * MINUTIA;
  if (v.getUint32(end) !== fnv1a(bytes, end)) throw bad('native template checksum mismatch');
  const quality = v.getUint8(8);
  if (quality > 100 && quality !== 255) throw bad('native template quality out of range');
  const minutiae: Minutia[] = [];
  let o = HEADER;
  for (let k = 0; k < count; k++) {
    const tq = v.getUint8(o + 5);
    if ((tq & 127) > 100) throw bad('native template minutia quality out of range');
    minutiae.push({
      x: v.getUint16(o),
      y: v.getUint16(o + 2),
      angle: (v.getUint8(o + 4) / 256) * 2 * Math.PI,
      type: tq & 128 ? 'bifurcation' : 'ending',
      quality: tq & 127,
    });
    o += MINUTIA;
  }
  return {
    width: v.getUint16(4),
    height: v.getUint16(6),
    dpi: 500,
    minutiae,
    ...(quality === 255 ? {} : { quality }),
  };
}

/**
 * Check a template that came from outside (JSON, a message): the shape, finite numbers,
 * coordinates within 0–65,535, angles in [0, 2π), qualities 0–100, at most 255 minutiae.
 * @returns A clean copy.
 * @throws FingerprintError `fingerprint/bad-template`.
 */
export function parseTemplate(value: unknown): FingerprintTemplate {
  if (value === null || typeof value !== 'object') throw bad('template must be an object');
  const o = value as Record<string, unknown>;
  const num = (x: unknown, lo: number, hi: number, what: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi)
      throw bad(`${what} must be a number in ${lo}–${hi}`);
    return x;
  };
  const width = num(o.width, 0, 65535, 'width');
  const height = num(o.height, 0, 65535, 'height');
  if (o.dpi !== 500) throw bad('dpi must be 500 (templates are normalised to 500 dpi)');
  if (!Array.isArray(o.minutiae) || o.minutiae.length > 255) throw bad('minutiae must be an array of at most 255');
  const minutiae = o.minutiae.map((m: unknown, i: number): Minutia => {
    if (m === null || typeof m !== 'object') throw bad(`minutiae[${i}] must be an object`);
    const r = m as Record<string, unknown>;
    if (r.type !== 'ending' && r.type !== 'bifurcation') throw bad(`minutiae[${i}].type must be ending or bifurcation`);
    return {
      x: num(r.x, 0, 65535, `minutiae[${i}].x`),
      y: num(r.y, 0, 65535, `minutiae[${i}].y`),
      angle: num(r.angle, 0, 2 * Math.PI, `minutiae[${i}].angle`) % (2 * Math.PI),
      type: r.type,
      quality: num(r.quality, 0, 100, `minutiae[${i}].quality`),
    };
  });
  const t: FingerprintTemplate = { width, height, dpi: 500, minutiae };
  if (o.quality !== undefined) t.quality = num(o.quality, 0, 100, 'quality');
  return t;
}
