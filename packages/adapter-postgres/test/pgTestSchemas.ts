import { hasPostgres, postgresUrl, resourceMissing } from '@smart-citizen/test-kit';
import pg from 'pg';

/**
 * The test server for a store test file: whether PostgreSQL and pgvector are there (pgvector is a
 * separate install, .ci/install-pgvector.sh: without it the plain store tests run and the vector
 * ones skip, except under CI), an admin pool, and schemas of the file's own that `end` drops.
 */
export async function openTestServer(prefix = 'sc_test_') {
  const available = await hasPostgres();
  const admin = available ? new pg.Pool({ connectionString: postgresUrl, max: 2 }) : undefined;
  const vector =
    available &&
    (((await admin?.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"))?.rowCount ?? 0) > 0 ||
      resourceMissing('the pgvector extension in PostgreSQL (bash .ci/install-pgvector.sh installs it)'));
  const created: string[] = [];
  const drop = async (schema: string) => {
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  };
  return {
    available,
    admin,
    vector,
    drop,
    newSchema: () => {
      const name = `${prefix}${Math.random().toString(36).slice(2, 10)}`;
      created.push(name);
      return name;
    },
    async end() {
      for (const s of created) await drop(s);
      await admin?.end();
    },
  };
}
