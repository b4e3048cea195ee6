// SQLite: the process killed (SIGKILL) in the middle of a bulk import and of enrolment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import { createStaticKeyProvider, decodeEmbedding } from '@smart-citizen/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runChild } from './children.js';
import { recordFault } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-faults-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(7) }] });
const idOf = (n: number) => `00109${String(n).padStart(7, '0')}`;

/** Runs the writer and SIGKILLs it after `after` acknowledged steps plus a random few ms. */
async function killAfter(path: string, mode: 'import' | 'enrol', after: number, seed: number) {
  let acked = -1;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const result = await runChild('sqliteWriter', [path, mode], (line, kill) => {
    const n = Number(line.split(' ')[1]);
    if (Number.isInteger(n)) acked = Math.max(acked, n);
    // Kill a little after the `after`-th acknowledgement: inside the next write.
    if (acked >= after && !killTimer) killTimer = setTimeout(kill, seed % 7);
  });
  return { acked, result };
}

function integrity(path: string): string {
  const db = new Database(path);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join(';');
  } finally {
    db.close();
  }
}

describe('SQLite identity store: SIGKILL mid-write', () => {
  it('bulk import: the database opens, integrity_check ok, every acknowledged batch all there, no partial batch', async () => {
    const runs = 6;
    let ok = 0;
    const lostRows: number[] = [];
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `import-${r}.db`);
      const { acked, result } = await killAfter(path, 'import', 1 + (r % 3), r * 3);
      expect(result.signal, result.stderr).toBe('SIGKILL');
      expect(integrity(path)).toBe('ok');
      const store = await createSqliteIdentityStore({ path, keys });
      try {
        const count = (await store.count?.()) ?? -1;
        // Every acknowledged batch is there; a batch in flight is there whole or not at all.
        expect(count % 500).toBe(0);
        expect(count).toBeGreaterThanOrEqual((acked + 1) * 500);
        expect(count).toBeLessThanOrEqual((acked + 2) * 500);
        for (let n = 0; n < (acked + 1) * 500; n += 97)
          expect((await store.get(idOf(n)))?.identity.idNumber).toBe(idOf(n));
        lostRows.push((acked + 1) * 500 - Math.min(count, (acked + 1) * 500));
        ok++;
      } finally {
        await store.close();
      }
    }
    recordFault({
      fault: 'SQLite bulk import (500-row batches): process SIGKILLed mid-batch',
      injected: runs,
      survived: `${ok}/${runs} databases open with integrity_check ok; every acknowledged batch present, no partial batch`,
      lost: lostRows.reduce((a, b) => a + b, 0),
      recoveryMs: undefined,
    });
  });

  it('enrolment: the database opens, integrity_check ok, every acknowledged citizen and template there and decryptable', async () => {
    const runs = 6;
    let ok = 0;
    let lost = 0;
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `enrol-${r}.db`);
      const { acked, result } = await killAfter(path, 'enrol', 5 + r * 3, r * 5);
      expect(result.signal, result.stderr).toBe('SIGKILL');
      expect(integrity(path)).toBe('ok');
      const store = await createSqliteIdentityStore({ path, keys });
      try {
        for (let n = 0; n <= acked; n++) {
          const templates = await store.getTemplates(idOf(n), 'face');
          if (templates.length !== 1) {
            lost++;
            continue;
          }
          const v = decodeEmbedding(templates[0]!.data);
          expect(v[n % 512]).toBe(1);
        }
        // A step in flight left either nothing, the citizen alone, or the citizen and template.
        const next = await store.get(idOf(acked + 1));
        if (next) expect((await store.getTemplates(idOf(acked + 1))).length).toBeLessThanOrEqual(1);
        ok++;
      } finally {
        await store.close();
      }
    }
    expect(lost).toBe(0);
    recordFault({
      fault: 'SQLite enrolment (citizen + sealed face template): process SIGKILLed mid-step',
      injected: runs,
      survived: `${ok}/${runs} databases open with integrity_check ok; every acknowledged template present and decrypts`,
      lost,
      recoveryMs: undefined,
    });
  });
});
