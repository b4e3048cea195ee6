// The chip package's own PC/SC tests use vpcd's first slot (Virtual PCD 00); this one uses the second, so both can run at once.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectVirtualCard } from '@smart-citizen/chip/node';
import { SoftwareCard, createTestDocument, createTestPki } from '@smart-citizen/chip/testing';
import { hasVpcd, lockVpcdSlot, vpcdPort } from '@smart-citizen/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { expectJson, runCaptured } from '../testing/runCaptured.js';

const pki = createTestPki();
const doc = createTestDocument({ pki });
const dir = mkdtempSync(join(tmpdir(), 'chip-cli-'));
mkdirSync(join(dir, 'dump'));
mkdirSync(join(dir, 'csca'));
for (const [name, file] of [
  ['EF_DG1.bin', doc.files.DG1],
  ['DG2.bin', doc.files.DG2],
  ['EF_DG13.bin', doc.files.DG13],
  ['dg14', doc.files.DG14],
  ['DG15.bin', doc.files.DG15],
  ['EF.SOD', doc.files.SOD],
  ['README.txt', new Uint8Array(3)],
] as const) {
  writeFileSync(join(dir, 'dump', name), file);
}
writeFileSync(join(dir, 'csca', 'csca.der'), pki.csca.der);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...argv: string[]) => runCaptured(['chip', ...argv], dir);

describe('smart-citizen chip parse', () => {
  it('parses dumped data groups and passes passive authentication with the CSCA folder', async () => {
    const r = await run('parse', 'dump', '--csca', 'csca', '--json');
    const j = expectJson(r);
    expect(j.files.sort()).toEqual(['DG1', 'DG13', 'DG14', 'DG15', 'DG2', 'SOD']);
    expect(j.identity.idNumber).toBe(doc.holder.idNumber);
    expect(j.photo).toMatchObject({ format: 'jpeg' });
    expect(j.authentication.passive.status).toBe('passed');
  });

  it('exits 1 and says no-trust-anchor without CSCAs; 2 on a folder without data groups', async () => {
    const r = await run('parse', 'dump');
    expect(r.code).toBe(1);
    expect(r.out).toContain('no-trust-anchor');
    expect((await run('parse', 'csca')).code).toBe(2);
    expect((await run('read', '--can', '12')).code).toBe(2);
  });
});

const vpcd = await hasVpcd();
describe.skipIf(!vpcd)('smart-citizen chip read (PC/SC, virtual reader)', () => {
  it('reads the software card in the virtual reader and prints identity, checks and times', async () => {
    // The kiosk's PC/SC tests use this slot too.
    const release = await lockVpcdSlot(vpcdPort + 1);
    const conn = await connectVirtualCard(new SoftwareCard(doc), { port: vpcdPort + 1 });
    try {
      const card = ['--can', doc.can, '--reader', 'Virtual PCD'];
      const j = expectJson(await run('read', ...card, '--csca', 'csca', '--photo', 'photo.jpg', '--json'));
      expect(j.identity.fullName).toBe(doc.holder.fullName);
      expect(j.authentication.passive.status).toBe('passed');
      expect(j.authentication.chip.status).toBe('passed');
      expect(j.ms).toBeGreaterThan(0);
      expect(Object.keys(j.timings)).toContain('pace');
    } finally {
      await conn.close();
      await new Promise((r) => setTimeout(r, 300));
      release();
    }
  });
});
