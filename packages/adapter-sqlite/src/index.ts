// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './createSqliteIdentityStore.js';
export * from './createSqliteAuditLog.js';
export * from './migrations.js';
export type { SqliteTarget } from './openDatabase.js';
