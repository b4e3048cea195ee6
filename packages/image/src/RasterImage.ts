/** Number of interleaved channels: 1 grey, 3 RGB, 4 RGBA. */
export type Channels = 1 | 3 | 4;

/**
 * A decoded image: 8-bit interleaved pixels, row-major, no padding between rows
 * (`data.length === width * height * channels`).
 */
export interface RasterImage {
  width: number;
  height: number;
  channels: Channels;
  data: Uint8Array;
}
