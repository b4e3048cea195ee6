export type { RasterImage, Channels } from './RasterImage.js';
