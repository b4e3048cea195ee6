// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './createIdentityStore.js';
export * from './createMemoryIdentityStore.js';
export * from './IdentityStoreDriver.js';
export * from './FaceScanIndex.js';
export * from './TemplateIndex.js';
export {
  MAX_TEMPLATE_BYTES,
  checkTemplateInput,
  templateKinds,
  templateModalities,
  templateModality,
} from './templateModalities.js';
export type { TemplateCheckContext, TemplateModality, TemplateProblem } from './templateModalities.js';
export {
  cosineSimilarity,
  decodeEmbedding,
  encodeEmbedding,
  normalizeStoredIdentity,
  normalizeVector,
  templateAad,
} from './validateRecord.js';
export * from './IdentityStore.js';
export * from './dedupe/index.js';
