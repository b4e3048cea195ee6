import type { RasterImage } from '@smart-citizen/image';
import type { TensorFormat } from './profiles.js';

/**
 * Planar (NCHW) float tensor data from an 8-bit image, in the declared colour order and
 * normalisation. Grey input fills every colour channel; colour input is averaged with
 * ITU-R BT.601 weights for a grey tensor. An optional padded size leaves zeros right and below.
 * @internal
 */
export function imageToTensor(
  img: RasterImage,
  format: TensorFormat,
  padded: { width: number; height: number } = img,
): Float32Array {
  const { width, height, channels, data } = img;
  const pw = padded.width;
  const ph = padded.height;
  const planes = format.colour === 'grey' ? 1 : 3;
  const out = new Float32Array(planes * pw * ph);
  const { mean, std } = format;
  const inv = 1 / std;
  const zero = -mean * inv;
  if (zero !== 0) out.fill(zero);
  const plane = pw * ph;
  // Offsets of the first, second and third output planes for R, G and B.
  const rOff = format.colour === 'bgr' ? 2 * plane : 0;
  const bOff = format.colour === 'bgr' ? 0 : 2 * plane;
  for (let y = 0; y < height; y++) {
    let i = y * width * channels;
    let o = y * pw;
    const end = o + width;
    if (planes === 1) {
      for (; o < end; o++, i += channels) {
        const v =
          channels === 1
            ? (data[i] as number)
            : 0.299 * (data[i] as number) + 0.587 * (data[i + 1] as number) + 0.114 * (data[i + 2] as number);
        out[o] = (v - mean) * inv;
      }
    } else if (channels === 1) {
      for (; o < end; o++, i++) {
        const v = ((data[i] as number) - mean) * inv;
        out[o] = v;
        out[plane + o] = v;
        out[2 * plane + o] = v;
      }
    } else {
      for (; o < end; o++, i += channels) {
        out[rOff + o] = ((data[i] as number) - mean) * inv;
        out[plane + o] = ((data[i + 1] as number) - mean) * inv;
        out[bOff + o] = ((data[i + 2] as number) - mean) * inv;
      }
    }
  }
  return out;
}

/** Horizontally mirrored copy of an NCHW tensor (C planes of width × height). @internal */
export function flipTensor(t: Float32Array, planes: number, width: number, height: number): Float32Array {
  const out = new Float32Array(t.length);
  for (let c = 0; c < planes; c++) {
    for (let y = 0; y < height; y++) {
      const row = (c * height + y) * width;
      for (let x = 0; x < width; x++) out[row + x] = t[row + width - 1 - x] ?? 0;
    }
  }
  return out;
}
