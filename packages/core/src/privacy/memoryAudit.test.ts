import { describeAuditLogConformance } from '../testing.js';
import { createMemoryAuditLog } from './AuditLog.js';

describeAuditLogConformance('memory', async ({ clock }) => {
  const log = createMemoryAuditLog({ clock });
  return {
    log,
    tamper: async (seq, change) => {
      const i = log.entriesForTest.findIndex((e) => e.seq === seq);
      if (i < 0) return;
      if (change.delete) log.entriesForTest.splice(i, 1);
      else Object.assign(log.entriesForTest[i] as object, change.patch);
    },
  };
});
