export { createMemoryIdentityStore } from './createMemoryIdentityStore.js';
export type { MemoryIdentityStoreOptions } from './createMemoryIdentityStore.js';
export { FaceScanIndex } from './FaceScanIndex.js';
export {
  MAX_TEMPLATE_BYTES,
  checkTemplateInput,
  cosineSimilarity,
  decodeEmbedding,
  encodeEmbedding,
  isIdNumberFormat,
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
  FaceSearchHit,
  FaceSearchOptions,
  IdentityStore,
  ListChangesOptions,
  StoredIdentity,
  TemplateInfo,
  TemplateInput,
  TemplateKind,
} from './IdentityStore.js';
