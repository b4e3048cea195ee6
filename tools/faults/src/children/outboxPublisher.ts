// A kiosk / counter process that dies (SIGKILL, its own) right after an operation committed and
// before its event was delivered: the moment the outbox exists for. The kill point is found in
// the adapter's own traffic: the delivery statement is the first query after the commit.
//   outboxPublisher URL SCHEMA OP   (OP: issue | call | start | complete | counter | none)
import { createPostgresQueueBackend } from '@smart-citizen/adapter-postgres/queue';
import { fifoPolicy } from '@smart-citizen/queue';
import pg from 'pg';

const [url, schema, op] = process.argv.slice(2) as [string, string, string];
const pool = new pg.Pool({ connectionString: url, max: 2 });
pool.on('error', () => undefined);
const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
(pool as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = (...a: unknown[]) => {
  if (typeof a[0] === 'string' && a[0].includes('WHERE id = $2 AND delivered_at IS NULL')) {
    process.kill(process.pid, 'SIGKILL');
  }
  return query(...a);
};
const backend = await createPostgresQueueBackend({ pool, schema, eventSweepMs: 0 });
const policy = fifoPolicy();
const now = Date.now();
const called = async () => (await backend.listTickets({ status: ['called'] }))[0]!;
const serving = async () => (await backend.listTickets({ status: ['serving'] }))[0]!;
switch (op) {
  case 'issue':
    await backend.issue({
      serviceId: 's',
      prefix: 'A',
      digits: 3,
      seriesKey: 'd',
      groupId: 'g',
      priority: 0,
      weight: 1,
      policy,
      now,
    });
    break;
  case 'call':
    await backend.callNext({ counterId: 'c1', services: ['s'], mode: 'ordered', policy, now });
    break;
  case 'start':
    await backend.transition({ action: 'start', ticketId: (await called()).id, now });
    break;
  case 'complete':
    await backend.transition({ action: 'complete', ticketId: (await serving()).id, now });
    break;
  case 'counter':
    await backend.setCounterOpen('c1', true, now);
    break;
  default:
    // "none": a restart: creating the backend runs the start-up sweep.
    break;
}
await backend.close();
await pool.end();
console.log('alive');
