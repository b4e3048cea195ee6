import { concat } from './bytes.js';
import { ChipError } from './errors.js';

/** One BER-TLV data object. `tag` holds the tag bytes as a number (`0x5F1F`, `0x7F61`). */
export interface Tlv {
  tag: number;
  /** Bit 6 of the first tag byte: the value is itself a sequence of data objects. */
  constructed: boolean;
  /** The value bytes (a view into the input, not a copy). */
  value: Uint8Array;
  /** Offset of the first tag byte in the input. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

/** Deepest nesting {@link parseTlvTree} follows before it refuses the input. */
const MAX_DEPTH = 32;

function bad(message: string, offset: number): ChipError {
  return new ChipError('chip/bad-tlv', message, { details: { offset } });
}

/**
 * Read one BER-TLV data object at `offset`. Tags up to 3 bytes, definite lengths up to 4 bytes;
 * an indefinite length, a length past the end of the input or a tag past the end is refused.
 * @throws ChipError `chip/bad-tlv`
 */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length): Tlv {
  let i = offset;
  if (i >= limit) throw bad('TLV: no tag byte', i);
  const first = buf[i++] as number;
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let n = 0;
    for (;;) {
      if (i >= limit) throw bad('TLV: tag runs past the end', i);
      const b = buf[i++] as number;
      tag = tag * 256 + b;
      if (++n > 2) throw bad('TLV: tag longer than 3 bytes', offset);
      if ((b & 0x80) === 0) break;
    }
  }
  if (i >= limit) throw bad('TLV: no length byte', i);
  let length = buf[i++] as number;
  if (length === 0x80) throw bad('TLV: indefinite length is not allowed', i - 1);
  if (length > 0x80) {
    const n = length & 0x7f;
    if (n > 4) throw bad('TLV: length field longer than 4 bytes', i - 1);
    if (i + n > limit) throw bad('TLV: length field runs past the end', i);
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + (buf[i++] as number);
  }
  if (length > limit - i) throw bad('TLV: value runs past the end', i);
  return { tag, constructed: (first & 0x20) !== 0, value: buf.subarray(i, i + length), start: offset, end: i + length };
}

/**
 * Every data object in `buf`, one after the other (one level; the values are not parsed).
 * Trailing 0x00 / 0xFF padding bytes between objects are skipped, as ISO 7816-4 allows.
 * @throws ChipError `chip/bad-tlv`
 */
export function parseTlvs(buf: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b === 0x00 || b === 0xff) {
      i++;
      continue;
    }
    const t = readTlv(buf, i);
    out.push(t);
    i = t.end;
  }
  return out;
}

/** A data object with its children parsed (constructed ones only). */
export interface TlvNode extends Tlv {
  children?: TlvNode[];
}

/**
 * Parse `buf` into a tree: constructed objects get `children`.
 * @throws ChipError `chip/bad-tlv`, also when nesting is deeper than 32 levels
 */
export function parseTlvTree(buf: Uint8Array, depth = 0): TlvNode[] {
  if (depth > MAX_DEPTH) throw bad('TLV: nesting too deep', 0);
  return parseTlvs(buf).map((t) => (t.constructed ? { ...t, children: parseTlvTree(t.value, depth + 1) } : t));
}

/**
 * The value of the first data object with `tag` in `buf` (one level), or `undefined`.
 * @throws ChipError `chip/bad-tlv`
 */
export function findTlv(buf: Uint8Array, tag: number): Tlv | undefined {
  return parseTlvs(buf).find((t) => t.tag === tag);
}

/** Like {@link findTlv} but a missing object is a `chip/bad-data` error naming `what`. */
export function requireTlv(buf: Uint8Array, tag: number, what: string): Tlv {
  const t = findTlv(buf, tag);
  if (!t) throw new ChipError('chip/bad-data', `${what}: data object ${tag.toString(16).toUpperCase()} is missing`);
  return t;
}

/** BER length bytes of `n`. */
export function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n < 0x100) return Uint8Array.of(0x81, n);
  if (n < 0x10000) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  if (n < 0x1000000) return Uint8Array.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  throw new RangeError(`TLV length ${n} is too large`);
}

/** Encode one data object; `value` may be several parts, concatenated. */
export function tlv(tag: number, ...value: Uint8Array[]): Uint8Array {
  const tagBytes =
    tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  const v = concat(...value);
  return concat(Uint8Array.from(tagBytes), encodeLength(v.length), v);
}
