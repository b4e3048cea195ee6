// Public API of @smart-citizen/idcard.
export { cardFieldNames, cardTypes, ID1_HEIGHT_MM, ID1_WIDTH_MM } from './cardTypes.js';
export type { CardFieldName, CardSide, CardType } from './cardTypes.js';
export { IdCardError } from './errors.js';
export type { IdCardErrorCode } from './errors.js';
