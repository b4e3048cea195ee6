/**
 * A plain mid-grey 24-bit BMP, generated for tests: it decodes, and holds neither a code nor a face.
 * @param width - Pixels. @default 64
 * @param height - Pixels. @default 64
 * @returns The encoded BMP bytes.
 */
export function greyBmp(width = 64, height = 64): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const bmp = new Uint8Array(54 + row * height);
  const v = new DataView(bmp.buffer);
  bmp.set([0x42, 0x4d]);
  v.setUint32(2, bmp.length, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  bmp.fill(128, 54);
  return bmp;
}
