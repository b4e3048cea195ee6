import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasPostgres, hasRedis, postgresUrl, redisUrl } from '@smart-citizen/test-kit';
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

  describe('simulate --backend (a real server)', async () => {
    const servers = [
      ['redis', (await hasRedis()) ? redisUrl : undefined],
      ['postgres', (await hasPostgres()) ? postgresUrl : undefined],
    ] as const;
    const dir = mkdtempSync(join(tmpdir(), 'sc-cli-queue-backend-'));
    const config = join(dir, 'small.json');
    writeFileSync(
      config,
      JSON.stringify({
        seed: 3,
        openMinutes: 40,
        services: [{ id: 'a', handling: { kind: 'fixed', minutes: 4 } }],
        arrivals: [{ serviceId: 'a', perHour: 45 }],
        counters: [
          { id: 'k1', services: ['a'] },
          { id: 'k2', services: ['a'] },
        ],
        policies: [
          { name: 'fifo', kind: 'fifo' },
          { name: 'strict', kind: 'strict-priority' },
        ],
      }),
    );
    for (const [name, url] of servers) {
      it.skipIf(!url)(`plays the day through ${name} and reports served, lost and duplicated`, async () => {
        const io = capture();
        const code = await runCli(
          ['queue', 'simulate', '--config', config, '--backend', url!, '--speed', '6000', '--policy', 'fifo', '--json'],
          io,
        );
        expect(io.err).toBe('');
        expect(code).toBe(0);
        const r = JSON.parse(io.out);
        expect(r).toMatchObject({
          ok: true,
          lost: 0,
          duplicated: 0,
          backend: `${name}://127.0.0.1:${new URL(url!).port}`,
        });
        expect(r.served).toBe(r.arrivals);
        expect(r.arrivals).toBeGreaterThan(15);
        expect(r.policies.map((p: { policy: string }) => p.policy)).toEqual(['fifo']);
        expect(
          r.policies[0].counters.map((c: { served: number }) => c.served).reduce((a: number, b: number) => a + b),
        ).toBe(r.served);
      });
    }
  });

  it('refuses a --backend that is not a redis:// or postgres:// URL, and --speed without it', async () => {
    for (const args of [
      ['--backend', 'mysql://localhost/x'],
      ['--backend', 'not a url'],
      ['--speed', '10'],
    ]) {
      const io = capture();
      const code = await runCli(['queue', 'simulate', '--config', 'examples/queue/ward-centre.json', ...args], io);
      expect(code).toBe(2);
      expect(io.err).toMatch(/--backend|--speed/);
    }
  });
});
