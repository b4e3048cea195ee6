/**
 * Every code of the errors core throws, and the `store/*` and `audit/*` codes its store and
 * audit-log drivers (SQLite, PostgreSQL) throw under the same ports. A test scans core and the
 * store drivers and fails when a thrown code is missing here.
 */
export const coreErrorCodes = [
  'id/malformed',
  'date/invalid',
  'date/malformed',
  'text/too-long',
  'mrz/malformed',
  'mrz/not-td1',
  'session/invalid-evidence',
  'session/audit-failed',
  'privacy/consent-missing',
  'privacy/decrypt-failed',
  'privacy/no-webcrypto',
  'privacy/unknown-key',
  'audit/closed',
  'audit/invalid-event',
  'dedupe/checkpoint-mismatch',
  'dedupe/invalid-decision',
  'dedupe/invalid-options',
  'dedupe/too-few-faces',
  'store/closed',
  'store/encryption-required',
  'store/invalid-consent',
  'store/invalid-identity',
  'store/invalid-template',
  'store/invalid-options',
  'store/no-index',
  'store/not-found',
  'store/invalid-config',
  'store/open-failed',
  'store/schema-too-new',
  'store/busy',
  'store/backend-error',
  'store/connection-lost',
  'store/face-dimension-mismatch',
  'store/pgvector-unavailable',
] as const;

/** Codes of the errors `@smart-citizen/core` (and the store drivers under its ports) throw on purpose. */
export type CoreErrorCode = (typeof coreErrorCodes)[number];
