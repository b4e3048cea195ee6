/** @internal Little/big-endian readers that return -1 instead of reading past the end. */
export function u16be(b: Uint8Array, o: number): number {
  if (o < 0 || o + 2 > b.length) return -1;
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

/** @internal */
export function u16le(b: Uint8Array, o: number): number {
  if (o < 0 || o + 2 > b.length) return -1;
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

/** @internal */
export function u32be(b: Uint8Array, o: number): number {
  if (o < 0 || o + 4 > b.length) return -1;
  return (
    (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0
  );
}

/** @internal */
export function u32le(b: Uint8Array, o: number): number {
  if (o < 0 || o + 4 > b.length) return -1;
  return (
    ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0
  );
}

/** @internal Signed 32-bit little-endian; `undefined` past the end. */
export function i32le(b: Uint8Array, o: number): number | undefined {
  if (o < 0 || o + 4 > b.length) return undefined;
  return (b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24);
}

/** @internal Four ASCII characters at `o`. */
export function fourcc(b: Uint8Array, o: number): string {
  if (o < 0 || o + 4 > b.length) return '';
  return String.fromCharCode(b[o] as number, b[o + 1] as number, b[o + 2] as number, b[o + 3] as number);
}
