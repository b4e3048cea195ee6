import type { CardFieldName, CardSide, CardType } from '../cardTypes.js';

/** A rectangle on the card in millimetres from the top-left corner of the ID-1 frame (85.60 × 53.98 mm). */
export interface MmBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How a field's text is written: the generator formats it, the post-processing parses it. */
export type FieldFormat = 'id-number' | 'name' | 'date' | 'sex' | 'text' | 'place';

/** A printed field: its value's line boxes (one per printed line) and its label. */
export interface FieldLayout {
  field: CardFieldName;
  /** One box per printed line of the value, top to bottom. */
  lines: readonly MmBox[];
  format: FieldFormat;
  /** The printed label (an anchor), Vietnamese / English where the card is bilingual. */
  label?: { text: string; box: MmBox };
  /** Printed in upper case. */
  upperCase?: boolean;
  /** Bold value. */
  bold?: boolean;
  /** Value colour (RGB). @default dark grey */
  color?: readonly [number, number, number];
}

/** Printed text that is the same on every card of the type (headers, titles, authorities). */
export interface StaticText {
  text: string;
  box: MmBox;
  bold?: boolean;
  align?: 'left' | 'center';
  color?: readonly [number, number, number];
}

/** One card type and side as data: where everything is, in canonical card coordinates. */
export interface CardLayout {
  type: CardType;
  side: CardSide;
  /** Dominant background colour (RGB) of the printed card. */
  background: readonly [number, number, number];
  /** Colour of the security pattern (guilloche) drawn over the background. */
  pattern: readonly [number, number, number];
  fields: readonly FieldLayout[];
  staticTexts: readonly StaticText[];
  emblem?: MmBox;
  portrait?: MmBox;
  fingerprints?: { leftIndex: MmBox; rightIndex: MmBox };
  /** The three MRZ lines, top to bottom. */
  mrz?: readonly [MmBox, MmBox, MmBox];
  qr?: MmBox;
  pdf417?: MmBox;
  chip?: MmBox;
}
