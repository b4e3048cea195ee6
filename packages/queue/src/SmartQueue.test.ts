import { describe, expect, it } from 'vitest';
import { isSmartCitizenError, createManualClock } from '@smart-citizen/core';
import { strictPriorityPolicy } from './policies.js';
import { createSmartQueue, validateQueueConfig } from './SmartQueue.js';
import type { SmartQueueConfig } from './SmartQueue.js';
import type { QueueEvent } from './types.js';

const MIN = 60_000;
const start = Date.UTC(2026, 10, 30, 1, 0); // 08:00 in Hà Nội

const config: SmartQueueConfig = {
  services: [
    { id: 'civil', name: 'Hộ tịch', prefix: 'A', expectedHandlingMs: 8 * MIN },
    { id: 'land', name: 'Đất đai', prefix: 'B', expectedHandlingMs: 15 * MIN },
  ],
  counters: [
    { id: 'q1', label: 'Quầy 1', services: ['civil'] },
    { id: 'q2', label: 'Quầy 2', services: ['civil', 'land'] },
    { id: 'q3', label: 'Quầy 3', services: ['land'] },
  ],
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    return isSmartCitizenError(err) ? err.code : 'untyped';
  }
}

describe('SmartQueue', () => {
  it('classifies an identified citizen by date of birth and serves the elderly first under strict priority', async () => {
    const clock = createManualClock(start);
    const q = createSmartQueue({ ...config, clock, routing: strictPriorityPolicy() });
    const a = await q.issue('civil', { attributes: { dateOfBirth: { year: 1990, month: 5, day: 1 } } });
    clock.advance(MIN);
    const b = await q.issue('civil', { attributes: { dateOfBirth: { year: 1950, month: 5, day: 1 } } });
    expect(a.ticket).toMatchObject({ number: 'A001', groupId: 'general' });
    expect(b.ticket).toMatchObject({ number: 'A002', groupId: 'elderly' });
    expect(b.classification?.groupId).toBe('elderly');
    const first = await q.callNext('q1');
    expect(first?.id).toBe(b.ticket.id);
    await q.startServing(first!.id);
    clock.advance(6 * MIN);
    await q.complete(first!.id);
    expect((await q.callNext('q1'))?.id).toBe(a.ticket.id);
    expect(await q.callNext('q1')).toBeNull();
  });

  it('restarts the number series each local day (UTC+7)', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 30, 16, 59));
    const q = createSmartQueue({ ...config, clock });
    expect((await q.issue('civil')).ticket.number).toBe('A001');
    expect((await q.issue('civil')).ticket.number).toBe('A002');
    clock.advance(2 * MIN); // 00:01 on 1 December in Vietnam
    expect((await q.issue('civil')).ticket.number).toBe('A001');
  });

  it('merges appointments with walk-ins inside the check-in window', async () => {
    const clock = createManualClock(start);
    const q = createSmartQueue({
      ...config,
      clock,
      appointments: { earlyMs: 30 * MIN, lateMs: 15 * MIN, creditMs: 15 * MIN },
    });
    const slot = start + 60 * MIN;
    expect(await codeOf(q.checkIn({ id: 'apt-1', serviceId: 'civil', slotStart: slot }))).toBe(
      'queue/check-in-too-early',
    );
    clock.set(slot - 50 * MIN);
    const walkIn = await q.issue('civil');
    clock.set(slot - 20 * MIN);
    const walkIn2 = await q.issue('civil');
    clock.set(slot - 10 * MIN);
    const apt = await q.checkIn({ id: 'apt-1', serviceId: 'civil', slotStart: slot });
    expect(apt.ticket.enqueuedAt).toBe(slot - 15 * MIN);
    expect(apt.issues).toEqual([]);
    expect(await codeOf(q.checkIn({ id: 'apt-1', serviceId: 'civil', slotStart: slot }))).toBe(
      'queue/appointment-duplicate',
    );
    // walk-in at −50 min, appointment counts from −15, walk-in at −20 → order: walkIn, walkIn2, apt
    const order = [await q.callNext('q1'), await q.callNext('q1'), await q.callNext('q1')].map((t) => t?.id);
    expect(order).toEqual([walkIn.ticket.id, walkIn2.ticket.id, apt.ticket.id]);
    clock.set(slot + 20 * MIN);
    const late = await q.checkIn({ id: 'apt-2', serviceId: 'civil', slotStart: slot });
    expect(late.issues.map((i) => i.code)).toEqual(['queue/appointment-missed-window']);
    expect(late.ticket.enqueuedAt).toBe(slot + 20 * MIN);
    expect(await codeOf(q.checkIn({ id: '', serviceId: 'civil', slotStart: slot }))).toBe('queue/invalid-appointment');
  });

  it('estimates the wait as a range from recent handling times and open counters', async () => {
    const clock = createManualClock(start);
    const q = createSmartQueue({ ...config, clock });
    let est = await q.estimateWait('civil');
    expect(est.lowMs).toBeNull();
    expect(est.issues.map((i) => i.code)).toEqual(['queue/few-handling-samples', 'queue/no-open-counter']);
    await q.openCounter('q1');
    await q.openCounter('q2');
    // ten handled tickets of 4..13 minutes
    for (let i = 0; i < 10; i++) {
      const { ticket } = await q.issue('civil');
      await q.callNext('q1');
      await q.startServing(ticket.id);
      clock.advance((4 + i) * MIN);
      await q.complete(ticket.id);
    }
    for (let i = 0; i < 6; i++) await q.issue('civil');
    est = await q.estimateWait('civil');
    expect(est).toMatchObject({ ahead: 6, capacity: 2, samples: 10, handlingMedianMs: 8.5 * MIN, issues: [] });
    expect(est.handlingP90Ms).toBeCloseTo(12.1 * MIN, -2);
    expect(est.lowMs).toBeCloseTo((6 * 8.5 * MIN) / 2, -2);
    expect(est.highMs).toBeCloseTo((7 * 12.1 * MIN) / 2, -2);
    expect(est.lowMs!).toBeLessThan(est.highMs!);
    await q.closeCounter('q1');
    expect((await q.estimateWait('civil')).capacity).toBe(1);
  });

  it('reports statistics per service, group and counter', async () => {
    const clock = createManualClock(start);
    const q = createSmartQueue({ ...config, clock });
    const a = (await q.issue('civil', { groupId: 'elderly' })).ticket;
    const b = (await q.issue('land')).ticket;
    clock.advance(5 * MIN);
    await q.callNext('q1');
    await q.startServing(a.id);
    clock.advance(10 * MIN);
    await q.complete(a.id);
    await q.callNext('q3');
    await q.noShow(b.id);
    const s = await q.stats(start, start + 60 * MIN);
    expect(s.services.map((x) => [x.serviceId, x.issued, x.served, x.noShows])).toEqual([
      ['civil', 1, 1, 0],
      ['land', 1, 0, 1],
    ]);
    expect(s.groups.find((g) => g.groupId === 'elderly')).toMatchObject({ served: 1, meanWaitMs: 5 * MIN });
    expect(s.counters.find((c) => c.counterId === 'q1')).toMatchObject({ served: 1, busyMs: 10 * MIN });
    expect(s.counters.find((c) => c.counterId === 'q1')!.utilisation).toBeCloseTo(10 / 60);
  });

  it('publishes board events and supports hold, recall, transfer', async () => {
    const clock = createManualClock(start);
    const q = createSmartQueue({ ...config, clock });
    const events: QueueEvent[] = [];
    await q.subscribe((e) => events.push(e));
    const t = (await q.issue('civil')).ticket;
    await q.callNext('q2');
    await q.recall(t.id);
    expect((await q.ticketsAt('q2')).map((x) => x.id)).toEqual([t.id]);
    await q.transfer(t.id, 'land');
    expect(await q.ticketsAt('q2')).toEqual([]);
    expect((await q.callNext('q3'))?.number).toBe('A001');
    expect(events.map((e) => e.type)).toEqual([
      'ticket.issued',
      'ticket.called',
      'ticket.recalled',
      'ticket.transferred',
      'ticket.called',
    ]);
    expect(events[3]).toMatchObject({ fromServiceId: 'civil', serviceId: 'land' });
    expect(events[4]).toMatchObject({ counterId: 'q3' });
  });

  it('answers hostile input with typed errors only (fuzz)', async () => {
    const q = createSmartQueue(config);
    let x = 99;
    const rnd = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const junk: unknown[] = [
      '',
      'civil\u0000',
      'x'.repeat(10_000),
      '__proto__',
      42,
      null,
      undefined,
      {},
      [],
      Number.NaN,
      -1,
      'q1',
    ];
    const pick = () => junk[Math.floor(rnd() * junk.length)];
    for (let i = 0; i < 400; i++) {
      const attempt = [
        () => q.issue(pick() as string, { attributes: { dateOfBirth: pick() as never, disability: pick() as never } }),
        () => q.issue('civil', { groupId: pick() as string }),
        () => q.checkIn({ id: pick() as string, serviceId: pick() as string, slotStart: pick() as number }),
        () => q.callNext(pick() as string),
        () => q.complete(pick() as string),
        () => q.transfer(pick() as string, pick() as string),
        () => q.estimateWait(pick() as string, pick() as string),
      ][i % 7]!;
      try {
        await attempt();
      } catch (err) {
        expect(isSmartCitizenError(err)).toBe(true);
      }
    }
  });

  it('never logs the citizen group or personal data', async () => {
    const logged: unknown[] = [];
    const logger = {
      debug: (m: string, f?: Record<string, unknown>) => logged.push([m, f]),
      info: (m: string, f?: Record<string, unknown>) => logged.push([m, f]),
      warn: (m: string, f?: Record<string, unknown>) => logged.push([m, f]),
      error: (m: string, f?: Record<string, unknown>) => logged.push([m, f]),
    };
    const q = createSmartQueue({ ...config, logger });
    await q.issue('civil', { attributes: { disability: 'severe', dateOfBirth: { year: 1961, month: 7, day: 14 } } });
    expect(logged.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    expect(text).not.toMatch(/disab|1961|severe/);
  });

  it('rejects unknown services, counters, groups and bad configurations with typed errors', async () => {
    const q = createSmartQueue(config);
    expect(await codeOf(q.issue('passport'))).toBe('queue/unknown-service');
    expect(await codeOf(q.callNext('q9'))).toBe('queue/unknown-counter');
    expect(await codeOf(q.issue('civil', { groupId: 'vip' }))).toBe('queue/unknown-group');
    expect(await codeOf(q.transfer('1', 'nowhere'))).toBe('queue/unknown-service');
    const bad: SmartQueueConfig[] = [
      { ...config, services: [] },
      { ...config, services: [...config.services, { id: 'x', name: 'x', prefix: 'A', expectedHandlingMs: 1 }] },
      { ...config, services: [{ id: 'x y', name: 'x', prefix: 'A', expectedHandlingMs: 1 }] },
      { ...config, services: [{ id: 'x', name: 'x', prefix: 'a', expectedHandlingMs: 1 }] },
      { ...config, services: [{ id: 'x', name: 'x', prefix: 'A', expectedHandlingMs: 0 }] },
      { ...config, counters: [{ id: 'c', label: 'c', services: ['nope'] }] },
      { ...config, counters: [{ id: 'c', label: 'c', services: [] }] },
    ];
    for (const c of bad) {
      expect(() => validateQueueConfig(c)).toThrow(
        expect.objectContaining({ pkg: 'queue', code: 'queue/invalid-config' }),
      );
    }
  });
});
