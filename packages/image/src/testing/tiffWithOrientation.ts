/** A TIFF block (little- or big-endian) whose IFD0 holds only the orientation tag. */
export function tiffWithOrientation(orientation: number, bigEndian = false): Uint8Array {
  const t = new Uint8Array(26);
  const dv = new DataView(t.buffer);
  const le = !bigEndian;
  t.set(bigEndian ? [0x4d, 0x4d] : [0x49, 0x49], 0);
  dv.setUint16(2, 42, le);
  dv.setUint32(4, 8, le);
  dv.setUint16(8, 1, le);
  dv.setUint16(10, 0x0112, le);
  dv.setUint16(12, 3, le);
  dv.setUint32(14, 1, le);
  dv.setUint16(18, orientation, le);
  dv.setUint32(22, 0, le);
  return t;
}
