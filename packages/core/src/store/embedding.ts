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
