import { type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { IdCardError } from '../errors.js';

/** Longest line the recogniser accepts after scaling to 32 px high (a 40-character line is about 700); scaled with the height. */
export const MAX_LINE_WIDTH = 2048;

/** A line image scaled for the recogniser: `[1, 1, height, width]`, ink high (1 − grey/255). */
export interface LineTensor {
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * Scale a line crop to the model's height keeping its aspect ratio (area filter when shrinking,
 * bilinear when enlarging) and turn it into the model's input: grey, dark ink → high values,
 * as in training.
 * @throws IdCardError `idcard/bad-image` for an empty image or one far wider than a line.
 */
export function prepareLine(image: RasterImage, height: number): LineTensor {
  if (
    !image ||
    image.width < 1 ||
    image.height < 1 ||
    image.data.length !== image.width * image.height * image.channels
  ) {
    throw new IdCardError('idcard/bad-image', 'line image is empty or its pixel data does not match its size');
  }
  const width = Math.max(16, Math.round((image.width * height) / image.height));
  if (width > (MAX_LINE_WIDTH * height) / 32) {
    throw new IdCardError('idcard/bad-image', `line image is too wide for one line (${width} px at height ${height})`, {
      details: { width: image.width, height: image.height },
    });
  }
  const grey = toGrey(image);
  const scaled =
    grey.width === width && grey.height === height
      ? grey
      : resize(grey, { width, height, method: height < grey.height ? 'area' : 'bilinear' });
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 1 - (scaled.data[i] as number) / 255;
  return { data, height, width };
}
