import { openQueueInstance } from '@smart-citizen/queue/bench';
import { postgresUrl } from '@smart-citizen/test-kit';
import type pg from 'pg';
import { type PostgresQueueBackendOptions, createPostgresQueueBackend } from '../src/queue/index.js';

/**
 * A queue instance (tests and the bench) in its own schema of the test server, every client over
 * a pool of 6; `cleanup` drops the schema through `admin`.
 */
export function openPostgresQueueInSchema(
  admin: pg.Pool,
  schema: string,
  options: Pick<PostgresQueueBackendOptions, 'synchronousCommit'>,
) {
  return openQueueInstance(
    () => createPostgresQueueBackend({ connectionString: postgresUrl, schema, maxConnections: 6, ...options }),
    () => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  );
}
