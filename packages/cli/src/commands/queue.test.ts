import { join } from 'node:path';
import { hasPostgres, hasRedis, postgresUrl, redisUrl, repoRoot } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { expectJson, expectTypedErrors, runCaptured, tempDir } from '../testing/runCaptured.js';

const run = (argv: string[], cwd: string = repoRoot) => runCaptured(['queue', ...argv], cwd);
const wardCentre = ['--config', 'examples/queue/ward-centre.json'];

describe('smart-citizen queue', () => {
  it('simulates the shipped ward-centre example and compares policies as JSON', async () => {
    const io = await run(['simulate', ...wardCentre, '--days', '3', '--json']);
    const r = expectJson(io);
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
    const again = await run(['simulate', ...wardCentre, '--days', '3', '--json']);
    expect(again.out).toBe(io.out);
  });

  it('prints a readable table without --json', async () => {
    const io = await run(['simulate', ...wardCentre, '--days', '1', '--seed', '4']);
    expect(io.code).toBe(0);
    expect(io.out).toMatch(/strict-priority/);
    expect(io.out).toMatch(/Counter utilisation/);
  });

  it('lists the default groups with their legal basis', async () => {
    const io = await run(['groups', '--json']);
    const r = expectJson(io);
    expect(r.groups.find((g: { id: string }) => g.id === 'elderly').legalBasis[0]).toMatch(/39\/2009\/QH12/);
  });

  it('rejects bad input with typed errors and exit code 2', async () => {
    const dir = tempDir('sc-queue-', {
      'bad.json': '{ "openMinutes": 60, "services": [] }',
      'garbage.json': '{ not json',
      'array.json': '[1, 2]',
    });
    await expectTypedErrors(
      (argv) => run(argv, dir),
      [
        [['simulate', '--config', 'bad.json'], 'queue/invalid-simulation'],
        [['simulate', '--config', 'garbage.json'], 'cli/invalid-json'],
        [['simulate', '--config', 'array.json'], 'queue/invalid-simulation'],
        [['simulate', '--config', 'missing.json'], 'cli/unreadable-file'],
        [['simulate'], 'cli/usage'],
        [['simulate', '--config', 'bad.json', '--days', '0'], 'cli/usage'],
        [['fly'], 'cli/usage'],
        [['simulate', '--bogus'], 'cli/usage'],
      ],
    );
  });

  describe('simulate --backend (a real server)', async () => {
    const servers = [
      ['redis', (await hasRedis()) ? redisUrl : undefined],
      ['postgres', (await hasPostgres()) ? postgresUrl : undefined],
    ] as const;
    const config = join(
      tempDir('sc-cli-queue-backend-', {
        'small.json': JSON.stringify({
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
      }),
      'small.json',
    );
    for (const [name, url] of servers) {
      it.skipIf(!url)(`plays the day through ${name} and reports served, lost and duplicated`, async () => {
        const backend = ['--backend', url!, '--speed', '6000'];
        const r = expectJson(await run(['simulate', '--config', config, ...backend, '--policy', 'fifo', '--json']));
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
      const io = await run(['simulate', ...wardCentre, ...args]);
      expect(io.code).toBe(2);
      expect(io.err).toMatch(/--backend|--speed/);
    }
  });
});
