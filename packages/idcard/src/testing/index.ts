// @smart-citizen/idcard/testing: the card generator (Node; draws with @napi-rs/canvas and
// fontsource fonts, which are dev dependencies of this package).
export { fvcDpi, liveImageAsInk, loadGeneratorData, printAtCardScale } from './generatorData.js';
export type { GeneratorData } from './generatorData.js';
export { builtinNameLists, printedFieldText, randomIdentity } from './randomIdentity.js';
export type { AdminUnit, GeneratedIdentity, NameLists } from './randomIdentity.js';
export { renderCardSide } from './renderCardSide.js';
export type { CardSideAssets, RenderedCardSide } from './renderCardSide.js';
export { photoDegradationLevels, photographCard } from './photographCard.js';
export type { CardPhoto, PhotoDegradation, PhotographCardOptions, PhotoParameters } from './photographCard.js';
export { cardPairRng, generateCardPair, generateCardSet, generateCardSide } from './generateCardSet.js';
export type {
  CardPhotoTruth,
  GenerateCardSetOptions,
  GenerateCardPairOptions,
  GenerateCardSideOptions,
  GeneratedCardPair,
  GeneratedCardPhoto,
} from './generateCardSet.js';
export { cachedCardPairSet, cachedCardSet } from './cachedCardSet.js';
export type { CachedCardPair, CachedCardPhoto, CardPairSetOptions } from './cachedCardSet.js';
export {
  cutCardBox,
  FACE_BENCH_CARD_TYPES,
  faceBenchCard,
  headAndShouldersCrop,
  photographedCardPortrait,
  photographedPortraitCard,
} from './cardPortraits.js';
export type { FaceBox, PhotographedPortraitOptions } from './cardPortraits.js';
export { photographedCardPrints } from './cardPrints.js';
export type { PhotographedPrintsOptions, PrintSource } from './cardPrints.js';
