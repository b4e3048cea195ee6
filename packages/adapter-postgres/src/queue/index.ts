export { createPostgresQueueBackend, migratePostgresQueue } from './createPostgresQueueBackend.js';
export type { PostgresQueueBackendOptions } from './createPostgresQueueBackend.js';
export { queueMigrations } from './migrations.js';
export type { QueueMigration } from './migrations.js';
