// Public API of @smart-citizen/idcard.
export { cardFieldNames, cardTypes, ID1_HEIGHT_MM, ID1_WIDTH_MM } from './cardTypes.js';
export type { CardFieldName, CardSide, CardType } from './cardTypes.js';
export { IdCardError } from './errors.js';
export type { IdCardErrorCode } from './errors.js';
export { allCardLayouts, cardLayout, cardLayouts } from './layout/layouts.js';
export type { CardLayout, FieldFormat, FieldLayout, MmBox, StaticText } from './layout/CardLayout.js';
export { CANONICAL_HEIGHT, CANONICAL_PX_PER_MM, CANONICAL_WIDTH, mmBoxToPx } from './layout/canonical.js';
export type { PxBox } from './layout/canonical.js';
