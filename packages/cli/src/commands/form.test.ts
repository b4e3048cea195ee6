import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectJson, expectTypedErrors, runCaptured, tempDir } from '../testing/runCaptured.js';

const repo = resolve(import.meta.dirname, '../../../..');
const exampleIdentity = ['--identity', 'examples/data/identity.json'];

const run = (cwd: string, ...argv: string[]) => runCaptured(['form', ...argv], cwd);

/** An identity file as people write it: a text date of birth, the sex as a Vietnamese word. */
const binh = { fullName: 'Trần Văn Bình', dateOfBirth: '05/06/1980', sex: 'Nam', idNumber: '079080001234' };

/** `form fill ct01 --json` on an identity file holding `identity`. */
function fillCt01(identity: Record<string, string>) {
  const dir = tempDir('sc-form-', { 'id.json': JSON.stringify(identity) });
  return run(dir, 'fill', 'ct01', '--identity', 'id.json', '--json');
}

describe('smart-citizen form', () => {
  it('lists the forms as JSON', async () => {
    const r = await run(repo, 'list', '--json');
    const j = expectJson(r);
    expect(j.forms.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining(['ct01', 'birth-registration', 'marital-status', 'cc01', 'business-household', 'dc02']),
    );
  });

  it('fills CT01 from the example identity and answers, and writes a PDF', async () => {
    const pdf = join(tempDir('sc-form-'), 'ct01.pdf');
    const fill = ['fill', 'ct01', ...exampleIdentity, '--answers', 'examples/data/answers-ct01.json'];
    const r = await run(repo, ...fill, '--pdf', pdf, '--today', '2026-12-02', '--json');
    const j = expectJson(r);
    expect(j.data).toMatchObject({
      fullName: 'NGUYỄN THỊ THÚY HẰNG',
      dateOfBirth: '14/03/1999',
      sex: 'Nữ',
      idNumber: '001199012345',
      request: 'Đăng ký thường trú',
    });
    expect(j.missing).toEqual([]);
    expect(j.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect(j.pdf.pages).toBe(1);
    expect(new TextDecoder('latin1').decode(readFileSync(pdf).subarray(0, 5))).toBe('%PDF-');
  });

  it('accepts text dates and Vietnamese sex words in the identity file, and lists what is missing', async () => {
    const j = expectJson(await fillCt01(binh));
    expect(j.data).toEqual({ ...binh, fullName: 'TRẦN VĂN BÌNH' });
    expect(j.missing.map((m: { path: string }) => m.path)).toEqual(['recipient', 'request']);
  });

  it('exits 1 with the issues when the identity contradicts itself', async () => {
    const r = await fillCt01({ ...binh, sex: 'Nữ' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).issues.map((i: { code: string }) => i.code)).toContain('id/sex-mismatch');
  });

  it('prints a readable summary without --json', async () => {
    const r = await run(repo, 'fill', 'cc01', ...exampleIdentity, '--today', '2026-12-02');
    expect(r.out).toContain('Form cc01 1.0.0');
    expect(r.out).toContain('permanentResidence.ward');
    expect(r.out).toContain('Phường Ba Đình');
  });

  it('bad input: unknown form, unreadable file, bad JSON, bad usage → exit 2 with a typed error', async () => {
    const dir = tempDir('sc-form-', { 'bad.json': '{not json', 'list.json': '[1,2]' });
    await expectTypedErrors(
      (argv) => run(dir, ...argv),
      [
        [['fill', 'no-such', '--identity', 'bad.json'], 'forms/unknown-form'],
        [['fill', 'ct01', '--identity', 'missing.json'], 'cli/usage'],
        [['fill', 'ct01', '--identity', 'bad.json'], 'cli/usage'],
        [['fill', 'ct01', '--identity', 'list.json'], 'forms/invalid-identity'],
        [['fill', 'ct01', '--answers', 'list.json'], 'forms/invalid-answers'],
        [['fill', 'ct01'], 'cli/usage'],
        [['frobnicate'], 'cli/usage'],
        [['fill', 'ct01', '--identity', 'bad.json', '--today', '2026-13-45'], 'cli/usage'],
      ],
    );
  });
});
