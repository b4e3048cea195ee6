export { createStaticKeyProvider } from './KeyProvider.js';
export type { KeyProvider, StaticKey, StaticKeyProvider, StaticKeyProviderOptions } from './KeyProvider.js';
export { createBiometricCipher } from './BiometricCipher.js';
export type { BiometricCipher, SealedBlob } from './BiometricCipher.js';
export {
  AUDIT_GENESIS_HASH,
  auditHashInput,
  checkAuditEvent,
  createAuditLog,
  createMemoryAuditDriver,
  createMemoryAuditLog,
  hashAuditEntry,
  sha256Hex,
  verifyAuditChain,
} from './AuditLog.js';
export type {
  AuditChainVerification,
  AuditDetailValue,
  AuditEntry,
  AuditEvent,
  AuditHead,
  AuditListOptions,
  AuditLog,
  AuditLogDriver,
  CreateAuditLogOptions,
  MemoryAuditLog,
  MemoryAuditLogOptions,
  VerifyAuditChainOptions,
} from './AuditLog.js';
export {
  checkConsentInput,
  newConsentRecord,
  consentScopes,
  findActiveConsent,
  isConsentActive,
  requireConsent,
} from './consent.js';
export type { ConsentInput, ConsentRecord, ConsentScope, ConsentSource } from './consent.js';
