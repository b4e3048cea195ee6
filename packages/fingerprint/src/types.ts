/** Kind of a minutia: where a ridge ends, or where it splits in two. */
export type MinutiaType = 'ending' | 'bifurcation';

/**
 * One minutia in template coordinates: pixels at 500 dpi from the top-left corner of the
 * (resampled) image, y down. `angle` is in radians in [0, 2π), counter-clockwise from the
 * x axis with y pointing up (the ISO/IEC 19794-2 convention): for an ending it points from
 * the ending along the ridge it ends, for a bifurcation between the two branches, away from
 * the stem, so an ending seen as a bifurcation of the valleys keeps its direction.
 */
export interface Minutia {
  x: number;
  y: number;
  angle: number;
  type: MinutiaType;
  /** 0–100: reliability from local ridge clarity and orientation certainty. */
  quality: number;
}

/** A fingerprint template: the minutiae of one impression and the frame they live in. */
export interface FingerprintTemplate {
  /** Width and height of the impression at 500 dpi, in pixels. */
  width: number;
  height: number;
  /** Always 500: coordinates are normalised to 500 dpi at extraction or import. */
  dpi: 500;
  minutiae: Minutia[];
  /** 0–100 image quality of the impression, when known (see {@link assessQuality}). */
  quality?: number;
}
