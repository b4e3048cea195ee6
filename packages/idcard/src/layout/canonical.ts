import { ID1_HEIGHT_MM, ID1_WIDTH_MM } from '../cardTypes.js';
import type { MmBox } from './CardLayout.js';

/** Resolution of the rectified card the reader works on: 12 px/mm (≈ 305 dpi), 1027 × 648 px. */
export const CANONICAL_PX_PER_MM = 12;
export const CANONICAL_WIDTH = Math.round(ID1_WIDTH_MM * CANONICAL_PX_PER_MM);
export const CANONICAL_HEIGHT = Math.round(ID1_HEIGHT_MM * CANONICAL_PX_PER_MM);

/** A rectangle in pixels of the rectified card. */
export interface PxBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A card box in canonical pixels, grown by `padMm` on every side and clipped to the card.
 *
 * @param b - Box in millimetres.
 * @param padMm - Margin added on each side. @default 0
 * @param pxPerMm - Scale. @default {@link CANONICAL_PX_PER_MM}
 */
export function mmBoxToPx(b: MmBox, padMm = 0, pxPerMm = CANONICAL_PX_PER_MM): PxBox {
  const x0 = Math.max(0, Math.floor((b.x - padMm) * pxPerMm));
  const y0 = Math.max(0, Math.floor((b.y - padMm) * pxPerMm));
  const x1 = Math.min(Math.round(ID1_WIDTH_MM * pxPerMm), Math.ceil((b.x + b.w + padMm) * pxPerMm));
  const y1 = Math.min(Math.round(ID1_HEIGHT_MM * pxPerMm), Math.ceil((b.y + b.h + padMm) * pxPerMm));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}
