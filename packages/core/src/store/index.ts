export { createIdentityStore } from './createIdentityStore.js';
export type { CreateIdentityStoreOptions, FullIdentityStore, IdentityStoreOptions } from './createIdentityStore.js';
export { createMemoryIdentityDriver, createMemoryIdentityStore } from './createMemoryIdentityStore.js';
export type { MemoryIdentityStoreOptions } from './createMemoryIdentityStore.js';
export type {
  DriverVectorSearch,
  IdentityStoreDriver,
  IdentityStoreTransaction,
  SealedTemplateRow,
  TemplatePage,
  TemplateScan,
} from './IdentityStoreDriver.js';
export { FaceScanIndex } from './FaceScanIndex.js';
export type { FaceHashPrefilter } from './FaceScanIndex.js';
export { cosineTemplateIndex } from './TemplateIndex.js';
export type { TemplateIndex, TemplateIndexFactory } from './TemplateIndex.js';
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
export type {
  BiometricTemplate,
  BulkUpsertResult,
  ChangeEntry,
  ChangeOp,
  CitizenRecord,
  FaceScanItem,
  FaceScanOptions,
  FaceScanPage,
  FaceSearchHit,
  FaceSearchOptions,
  IdentityStore,
  ListChangesOptions,
  StoredIdentity,
  TemplateInfo,
  TemplateInput,
  TemplateKind,
  TemplateSearchHit,
  TemplateSearchOptions,
} from './IdentityStore.js';
export * from './dedupe/index.js';
