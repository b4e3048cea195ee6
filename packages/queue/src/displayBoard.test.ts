import { describe, expect, it } from 'vitest';
import { createManualClock } from '@smart-citizen/core';
import { emptyDisplayBoard, reduceDisplayBoard } from './displayBoard.js';
import { createSmartQueue } from './SmartQueue.js';

describe('reduceDisplayBoard', () => {
  it('shows who goes to which counter from the live events of a queue', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 30, 1, 0));
    const q = createSmartQueue({
      clock,
      services: [{ id: 'civil', name: 'Hộ tịch', prefix: 'A', expectedHandlingMs: 600_000 }],
      counters: [
        { id: 'quay-1', label: 'Quầy 1', services: ['civil'] },
        { id: 'quay-2', label: 'Quầy 2', services: ['civil'] },
      ],
    });
    let board = emptyDisplayBoard();
    await q.subscribe((e) => {
      board = reduceDisplayBoard(board, e, 2);
    });
    await q.openCounter('quay-1');
    await q.openCounter('quay-2');
    const a = (await q.issue('civil')).ticket;
    const b = (await q.issue('civil')).ticket;
    const c = (await q.issue('civil')).ticket;
    await q.callNext('quay-1');
    clock.advance(1000);
    await q.callNext('quay-2');
    expect(board.atCounter).toEqual({ 'quay-1': 'A001', 'quay-2': 'A002' });
    expect(board.calls.map((x) => `${x.number}@${x.counterId}`)).toEqual(['A002@quay-2', 'A001@quay-1']);
    await q.recall(a.id);
    expect(board.calls[0]).toMatchObject({ number: 'A001', recalled: true });
    expect(board.calls).toHaveLength(2);
    await q.noShow(a.id);
    expect(board.atCounter).toEqual({ 'quay-2': 'A002' });
    expect(board.calls.map((x) => x.number)).toEqual(['A002']);
    await q.startServing(b.id);
    await q.complete(b.id);
    await q.callNext('quay-1');
    expect(board.atCounter).toEqual({ 'quay-1': c.number });
    await q.closeCounter('quay-2');
    expect(board.openCounters).toEqual(['quay-1']);
    expect(JSON.stringify(board)).not.toMatch(/general|civil/);
  });
});
