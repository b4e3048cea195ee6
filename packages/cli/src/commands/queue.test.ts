import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../runCli.js';
import { captureIO } from '../testing/captureIO.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../../..');

const capture = (cwd: string = repoRoot) => captureIO(cwd);

describe('smart-citizen queue', () => {
  it('simulates the shipped ward-centre example and compares policies as JSON', async () => {
    const io = capture();
    const code = await runCli(
      ['queue', 'simulate', '--config', 'examples/queue/ward-centre.json', '--days', '3', '--json'],
      io,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(io.out);
    expect(r.ok).toBe(true);
    expect(r.days).toBe(3);
    expect(r.policies.map((p: { policy: string }) => p.policy)).toEqual([
      'fifo',
      'strict-priority',
      'weighted-interleave',
      'aging-10min-45min',
      'strict+guard-40min',
    ]);
    const fifo = r.policies[0];
    const strict = r.policies[1];
    const elderly = (p: { groups: { groupId: string; meanWaitMinutes: number }[] }) =>
      p.groups.find((g) => g.groupId === 'elderly')!.meanWaitMinutes;
    expect(elderly(strict)).toBeLessThan(elderly(fifo));
    expect(fifo.counters).toHaveLength(5);
    for (const c of fifo.counters) expect(c.utilisation).toBeGreaterThan(0.2);
    // deterministic with the same seed
    const again = capture();
    await runCli(['queue', 'simulate', '--config', 'examples/queue/ward-centre.json', '--days', '3', '--json'], again);
    expect(again.out).toBe(io.out);
  });

  it('prints a readable table without --json', async () => {
    const io = capture();
    expect(
      await runCli(
        ['queue', 'simulate', '--config', 'examples/queue/ward-centre.json', '--days', '1', '--seed', '4'],
        io,
      ),
    ).toBe(0);
    expect(io.out).toMatch(/strict-priority/);
    expect(io.out).toMatch(/Counter utilisation/);
  });

  it('lists the default groups with their legal basis', async () => {
    const io = capture();
    expect(await runCli(['queue', 'groups', '--json'], io)).toBe(0);
    const r = JSON.parse(io.out);
    expect(r.groups.find((g: { id: string }) => g.id === 'elderly').legalBasis[0]).toMatch(/39\/2009\/QH12/);
  });

  it('rejects bad input with typed errors and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-queue-'));
    writeFileSync(join(dir, 'bad.json'), '{ "openMinutes": 60, "services": [] }');
    writeFileSync(join(dir, 'garbage.json'), '{ not json');
    writeFileSync(join(dir, 'array.json'), '[1, 2]');
    const cases: [string[], string][] = [
      [['queue', 'simulate', '--config', 'bad.json', '--json'], 'queue/invalid-simulation'],
      [['queue', 'simulate', '--config', 'garbage.json', '--json'], 'cli/invalid-json'],
      [['queue', 'simulate', '--config', 'array.json', '--json'], 'queue/invalid-simulation'],
      [['queue', 'simulate', '--config', 'missing.json', '--json'], 'cli/unreadable-file'],
      [['queue', 'simulate', '--json'], 'cli/usage'],
      [['queue', 'simulate', '--config', 'bad.json', '--days', '0', '--json'], 'cli/usage'],
      [['queue', 'fly', '--json'], 'cli/usage'],
      [['queue', 'simulate', '--bogus', '--json'], 'cli/usage'],
    ];
    for (const [argv, code] of cases) {
      const io = capture(dir);
      expect(await runCli(argv, io)).toBe(2);
      expect(JSON.parse(io.out).error.code).toBe(code);
    }
  });
});
