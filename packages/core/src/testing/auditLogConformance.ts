import { describe, expect, it } from 'vitest';
import { closeAfterEach } from './closeAfterEach.js';
import { isSmartCitizenError } from '../errors/index.js';
import type { Clock } from '../ports/index.js';
import { createManualClock } from '../ports/index.js';
import type { AuditEntry, AuditLog } from '../privacy/AuditLog.js';
import { AUDIT_GENESIS_HASH, hashAuditEntry, verifyAuditChain } from '../privacy/AuditLog.js';

/** What an audit-log factory returns to {@link describeAuditLogConformance}. */
export interface AuditLogConformanceTarget {
  log: AuditLog;
  /**
   * Change a stored entry behind the log's back (bypassing any append-only guard), to prove that
   * tampering is detected. `patch` replaces columns; `delete: true` removes the row.
   */
  tamper?: (seq: number, change: { patch?: Partial<Omit<AuditEntry, 'seq'>>; delete?: boolean }) => Promise<void>;
  cleanup?: () => Promise<void>;
}

/**
 * The conformance suite every {@link AuditLog} adapter must pass (registers a vitest `describe`).
 * @param name - adapter name
 * @param factory - opens a fresh, empty log using `clock`
 */
export function describeAuditLogConformance(
  name: string,
  factory: (ctx: { clock: Clock }) => Promise<AuditLogConformanceTarget>,
): void {
  describe(`AuditLog conformance: ${name}`, () => {
    const track = closeAfterEach((t: AuditLogConformanceTarget) => t.log);
    const open = async () => {
      const clock = createManualClock(1_750_000_000_000);
      const t = track(await factory({ clock }));
      return { ...t, clock };
    };
    const event = (i: number) => ({
      actor: `desk-${i % 3}/officer`,
      action: i % 2 ? 'identity.read' : 'template.read',
      subject: `00109901234${i % 10}`,
      purpose: 'identification:desk',
      details: { outcome: i % 2 ? 'ok' : 'denied', n: i, flag: i % 2 === 0, none: null },
    });

    it('appends hash-chained entries in order', async () => {
      const { log, clock } = await open();
      const e1 = await log.append(event(1));
      clock.advance(10);
      const e2 = await log.append(event(2));
      expect(e1).toMatchObject({
        seq: 1,
        prevHash: AUDIT_GENESIS_HASH,
        at: 1_750_000_000_000,
        subject: '001099012341',
      });
      expect(e2.seq).toBe(2);
      expect(e2.at).toBe(1_750_000_000_010);
      expect(e2.prevHash).toBe(e1.hash);
      const { hash, ...rest } = e2;
      expect(await hashAuditEntry(rest)).toBe(hash);
      expect(e2.details).toEqual({ outcome: 'denied', n: 2, flag: true, none: null });
      const e3 = await log.append({ actor: 'system', action: 'store.rotate-keys', purpose: 'key rotation' });
      expect(e3.subject).toBeNull();
      expect(e3.details).toEqual({});
      const listed = await log.list();
      expect(listed).toEqual([e1, e2, e3]);
      const v = await verifyAuditChain(log);
      expect(v).toEqual({ ok: true, count: 3, headHash: e3.hash });
      expect(await verifyAuditChain(log, { expectedHeadHash: e3.hash })).toMatchObject({ ok: true });
    });

    it('lists by cursor, limit and subject', async () => {
      const { log } = await open();
      for (let i = 1; i <= 12; i++) await log.append(event(i));
      expect((await log.list({ limit: 5 })).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await log.list({ afterSeq: 10 })).map((e) => e.seq)).toEqual([11, 12]);
      expect((await log.list({ subject: '001099012343' })).map((e) => e.seq)).toEqual([3]);
      expect(await verifyAuditChain(log, { pageSize: 5 })).toMatchObject({ ok: true, count: 12 });
    });

    it('keeps one chain under concurrent appends', async () => {
      const { log } = await open();
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => log.append(event(i))));
      expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await verifyAuditChain(log)).toMatchObject({ ok: true, count: 25 });
    });

    it('refuses malformed events', async () => {
      const { log } = await open();
      for (const bad of [
        { actor: '', action: 'identity.read', purpose: 'p' },
        { actor: 'a', action: 'Not A Code', purpose: 'p' },
        { actor: 'a', action: 'identity.read', purpose: '' },
        { actor: 'a', action: 'identity.read', purpose: 'p', details: { x: { nested: true } as never } },
      ]) {
        let err: unknown;
        try {
          await log.append(bad);
        } catch (e) {
          err = e;
        }
        expect(isSmartCitizenError(err, 'audit/invalid-event')).toBe(true);
      }
      expect(await log.list()).toEqual([]);
    });

    it('detects an altered, removed or truncated entry', async () => {
      const { log, tamper } = await open();
      if (!tamper) return;
      for (let i = 1; i <= 5; i++) await log.append(event(i));
      const head = (await log.list()).at(-1)?.hash as string;
      await tamper(3, { patch: { subject: '079185000111' } });
      expect(await verifyAuditChain(log)).toEqual({ ok: false, count: 2, brokenAt: 3, reason: 'hash-mismatch' });
      await tamper(3, { patch: { subject: '001099012343' } });
      expect(await verifyAuditChain(log)).toMatchObject({ ok: true });
      await tamper(2, { delete: true });
      expect(await verifyAuditChain(log)).toMatchObject({ ok: false, brokenAt: 3, reason: 'seq-gap' });
      const { log: log2, tamper: tamper2 } = await open();
      for (let i = 1; i <= 4; i++) await log2.append(event(i));
      const head2 = (await log2.list()).at(-1)?.hash as string;
      await tamper2?.(4, { delete: true });
      expect(await verifyAuditChain(log2)).toMatchObject({ ok: true, count: 3 });
      expect(await verifyAuditChain(log2, { expectedHeadHash: head2 })).toMatchObject({
        ok: false,
        reason: 'head-mismatch',
      });
      expect(head).toHaveLength(64);
    });
  });
}
