import { FingerprintError } from '../errors.js';
import type { FingerprintTemplate, Minutia } from '../types.js';

/** Which interchange standard a finger minutiae record follows. */
export type MinutiaeRecordFormat = 'iso-19794-2-2005' | 'ansi-378-2004';

type Field = readonly [name: string, bytes: 1 | 2 | 4];

/**
 * Record header layouts, field by field (big-endian). The two standards differ before the
 * equipment field only: ISO/IEC 19794-2:2005 has a 4-byte length; ANSI/INCITS 378-2004 a
 * 2-byte length (0 followed by 4 bytes when the record is longer than 65,535 bytes) and a
 * CBEFF product identifier. Resolutions are pixels per centimetre.
 */
const COMMON_HEADER: readonly Field[] = [
  ['equipment', 2],
  ['width', 2],
  ['height', 2],
  ['resolutionX', 2],
  ['resolutionY', 2],
  ['views', 1],
  ['reserved', 1],
];
const HEADERS: Record<MinutiaeRecordFormat, readonly Field[]> = {
  'iso-19794-2-2005': [['length', 4], ...COMMON_HEADER],
  'ansi-378-2004': [['length', 2], ['cbeffOwner', 2], ['cbeffType', 2], ...COMMON_HEADER],
};

/** Angle units per full turn: ISO 1.40625° (256), ANSI 2° (180). */
const ANGLE_UNITS: Record<MinutiaeRecordFormat, number> = { 'iso-19794-2-2005': 256, 'ansi-378-2004': 180 };

const MAGIC = [0x46, 0x4d, 0x52, 0x00]; // "FMR\0"
const VERSION = [0x20, 0x32, 0x30, 0x00]; // " 20\0"
const PX_PER_CM_500DPI = 197;
const VIEW_HEADER = 4;
const MINUTIA_BYTES = 6;

/** Options of {@link writeMinutiaeRecord}. */
export interface WriteRecordOptions {
  /** Finger position code (0 unknown, 1 right thumb … 10 left little). @default 0 */
  fingerPosition?: number;
  /** Impression type (0 live-scan plain, 2 non-live-scan plain…). @default 0 */
  impressionType?: number;
}

/** Options of {@link readMinutiaeRecord}. */
export interface ReadRecordOptions {
  /** Force a format instead of detecting it from the length fields. */
  format?: MinutiaeRecordFormat;
  /** Which finger view to read when the record holds several. @default 0 */
  view?: number;
}

const bad = (message: string, details?: Record<string, unknown>) =>
  new FingerprintError('fingerprint/bad-template', message, details ? { details } : {});

/**
 * Write a template as an ISO/IEC 19794-2:2005 or ANSI/INCITS 378-2004 finger minutiae record
 * with one finger view: 500 dpi (197 px/cm), minutiae as 6 bytes each (type in the top two
 * bits of x: 01 ending, 10 bifurcation; angle in 1.40625° or 2° units counter-clockwise from
 * the x axis; quality 0–100), no extended data.
 */
export function writeMinutiaeRecord(
  t: FingerprintTemplate,
  format: MinutiaeRecordFormat,
  options: WriteRecordOptions = {},
): Uint8Array {
  const ms = t.minutiae.slice(0, 255);
  const headerFields = HEADERS[format];
  const headerBytes = 8 + headerFields.reduce((n, [, b]) => n + b, 0);
  const total = headerBytes + VIEW_HEADER + ms.length * MINUTIA_BYTES + 2;
  if (format === 'ansi-378-2004' && total > 0xffff) throw bad('record too long for a 2-byte ANSI length');
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out.set(VERSION, 4);
  const values: Record<string, number> = {
    length: total,
    width: Math.min(0xffff, Math.round(t.width)),
    height: Math.min(0xffff, Math.round(t.height)),
    resolutionX: PX_PER_CM_500DPI,
    resolutionY: PX_PER_CM_500DPI,
    views: 1,
  };
  let o = 8;
  for (const [name, bytes] of headerFields) {
    const v = values[name] ?? 0;
    if (bytes === 1) view.setUint8(o, v);
    else if (bytes === 2) view.setUint16(o, v);
    else view.setUint32(o, v);
    o += bytes;
  }
  view.setUint8(o, options.fingerPosition ?? 0);
  view.setUint8(o + 1, (options.impressionType ?? 0) & 0x0f);
  view.setUint8(o + 2, Math.max(0, Math.min(100, Math.round(t.quality ?? 0))));
  view.setUint8(o + 3, ms.length);
  o += VIEW_HEADER;
  const units = ANGLE_UNITS[format];
  for (const m of ms) {
    const typeBits = m.type === 'ending' ? 1 : 2;
    const x = Math.max(0, Math.min(0x3fff, Math.round(m.x)));
    const y = Math.max(0, Math.min(0x3fff, Math.round(m.y)));
    view.setUint16(o, (typeBits << 14) | x);
    view.setUint16(o + 2, y);
    view.setUint8(o + 4, Math.round((m.angle / (2 * Math.PI)) * units) % units);
    view.setUint8(o + 5, Math.max(0, Math.min(100, Math.round(m.quality))));
    o += MINUTIA_BYTES;
  }
  view.setUint16(o, 0); // no extended data
  return out;
}

/** Tell ISO from ANSI by which length field matches the byte count; undefined when neither. */
export function detectMinutiaeRecord(bytes: Uint8Array): MinutiaeRecordFormat | undefined {
  if (bytes.length < 26) return undefined;
  for (let k = 0; k < 4; k++) if (bytes[k] !== MAGIC[k] || bytes[4 + k] !== VERSION[k]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) === bytes.length) return 'iso-19794-2-2005';
  const short = view.getUint16(8);
  if (short === bytes.length || (short === 0 && bytes.length >= 32 && view.getUint32(10) === bytes.length)) {
    return 'ansi-378-2004';
  }
  return undefined;
}

/**
 * Read a finger minutiae record written by this or another system (ISO/IEC 19794-2:2005 or
 * ANSI/INCITS 378-2004), taking one finger view and rescaling coordinates to 500 dpi.
 * Extended data blocks are skipped; minutiae of type "other" (00) are read as endings.
 * @throws FingerprintError `fingerprint/bad-template` for anything malformed: wrong magic or
 *   version, lengths that disagree with the data, a zero resolution, minutiae outside the
 *   image, a view that is not there. Never reads past the buffer.
 */
export function readMinutiaeRecord(bytes: Uint8Array, options: ReadRecordOptions = {}): FingerprintTemplate {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  const format = options.format ?? detectMinutiaeRecord(bytes);
  if (!format) {
    throw bad('not an ISO 19794-2 or ANSI 378 finger minutiae record (magic, version or length do not match)');
  }
  if (bytes.length < 8) throw bad('record shorter than its header');
  for (let k = 0; k < 4; k++) {
    if (bytes[k] !== MAGIC[k]) throw bad('record does not start with FMR\\0');
    if (bytes[4 + k] !== VERSION[k]) throw bad('record version is not " 20"');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (o: number, n: number, what: string) => {
    if (o + n > bytes.length) throw bad(`record truncated in ${what}`, { offset: o, length: bytes.length });
  };
  const values: Record<string, number> = {};
  let o = 8;
  for (const [name, size] of HEADERS[format]) {
    need(o, size, 'the header');
    values[name] = size === 1 ? view.getUint8(o) : size === 2 ? view.getUint16(o) : view.getUint32(o);
    o += size;
    if (format === 'ansi-378-2004' && name === 'length' && values.length === 0) {
      need(o, 4, 'the header');
      values.length = view.getUint32(o);
      o += 4;
    }
  }
  const length = values.length as number;
  if (length !== bytes.length)
    throw bad('record length field disagrees with the data', { length, bytes: bytes.length });
  const width = values.width as number;
  const height = values.height as number;
  const resX = values.resolutionX as number;
  const resY = values.resolutionY as number;
  const views = values.views as number;
  if (!resX || !resY) throw bad('record has a zero resolution');
  if (resX < 40 || resY < 40 || resX > 1000 || resY > 1000) throw bad('record resolution out of range', { resX, resY });
  const wanted = options.view ?? 0;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted >= views) {
    throw bad(`record has ${views} finger view(s); view ${String(wanted)} is not there`);
  }
  const sx = PX_PER_CM_500DPI / resX;
  const sy = PX_PER_CM_500DPI / resY;
  const units = ANGLE_UNITS[format];
  let result: FingerprintTemplate | undefined;
  for (let v = 0; v < views; v++) {
    need(o, VIEW_HEADER, 'a finger view header');
    const quality = view.getUint8(o + 2);
    const count = view.getUint8(o + 3);
    o += VIEW_HEADER;
    need(o, count * MINUTIA_BYTES, 'the minutiae');
    if (v === wanted) {
      const minutiae: Minutia[] = [];
      for (let k = 0; k < count; k++) {
        const a = view.getUint16(o);
        const typeBits = a >> 14;
        const x = a & 0x3fff;
        const y = view.getUint16(o + 2) & 0x3fff;
        const angle = view.getUint8(o + 4);
        const q = view.getUint8(o + 5);
        if (typeBits === 3) throw bad('minutia type 11 is reserved', { index: k });
        if ((width && x > width) || (height && y > height)) throw bad('minutia outside the image', { index: k });
        if (angle >= units) throw bad(`minutia angle ${angle} is outside 0–${units - 1}`, { index: k });
        if (q > 100) throw bad('minutia quality above 100', { index: k });
        minutiae.push({
          x: Math.round(x * sx),
          y: Math.round(y * sy),
          angle: (angle / units) * 2 * Math.PI,
          type: typeBits === 2 ? 'bifurcation' : 'ending',
          quality: q,
        });
        o += MINUTIA_BYTES;
      }
      result = {
        width: Math.round(width * sx),
        height: Math.round(height * sy),
        dpi: 500,
        minutiae,
        ...(quality <= 100 ? { quality } : {}),
      };
    } else {
      o += count * MINUTIA_BYTES;
    }
    need(o, 2, 'the extended data length');
    const ext = view.getUint16(o);
    o += 2;
    need(o, ext, 'the extended data');
    o += ext;
  }
  if (o !== bytes.length) throw bad('record has bytes after its last finger view', { end: o, length: bytes.length });
  return result as FingerprintTemplate;
}
