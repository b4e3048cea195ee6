import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../runCli.js';
import { captureIO } from '../testing/captureIO.js';

const repo = resolve(import.meta.dirname, '../../../..');

const capture = captureIO;

async function run(cwd: string, ...argv: string[]) {
  const io = capture(cwd);
  const code = await runCli(['form', ...argv], io);
  return { code, out: io.out, err: io.err };
}

describe('smart-citizen form', () => {
  it('lists the forms as JSON', async () => {
    const r = await run(repo, 'list', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.forms.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining(['ct01', 'birth-registration', 'marital-status', 'cc01', 'business-household', 'dc02']),
    );
  });

  it('fills CT01 from the example identity and answers, and writes a PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-form-'));
    const pdf = join(dir, 'ct01.pdf');
    const r = await run(
      repo,
      'fill',
      'ct01',
      '--identity',
      'examples/data/identity.json',
      '--answers',
      'examples/data/answers-ct01.json',
      '--pdf',
      pdf,
      '--today',
      '2026-12-02',
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
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
    const dir = mkdtempSync(join(tmpdir(), 'sc-form-'));
    writeFileSync(
      join(dir, 'id.json'),
      JSON.stringify({ fullName: 'Trần Văn Bình', dateOfBirth: '05/06/1980', sex: 'Nam', idNumber: '079080001234' }),
    );
    const r = await run(dir, 'fill', 'ct01', '--identity', 'id.json', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.data).toEqual({
      fullName: 'TRẦN VĂN BÌNH',
      dateOfBirth: '05/06/1980',
      sex: 'Nam',
      idNumber: '079080001234',
    });
    expect(j.missing.map((m: { path: string }) => m.path)).toEqual(['recipient', 'request']);
  });

  it('exits 1 with the issues when the identity contradicts itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-form-'));
    writeFileSync(
      join(dir, 'id.json'),
      JSON.stringify({ fullName: 'Trần Văn Bình', dateOfBirth: '05/06/1980', sex: 'Nữ', idNumber: '079080001234' }),
    );
    const r = await run(dir, 'fill', 'ct01', '--identity', 'id.json', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).issues.map((i: { code: string }) => i.code)).toContain('id/sex-mismatch');
  });

  it('prints a readable summary without --json', async () => {
    const r = await run(repo, 'fill', 'cc01', '--identity', 'examples/data/identity.json', '--today', '2026-12-02');
    expect(r.out).toContain('Form cc01 1.0.0');
    expect(r.out).toContain('permanentResidence.ward');
    expect(r.out).toContain('Phường Ba Đình');
  });

  it('bad input: unknown form, unreadable file, bad JSON, bad usage → exit 2 with a typed error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-form-'));
    writeFileSync(join(dir, 'bad.json'), '{not json');
    writeFileSync(join(dir, 'list.json'), '[1,2]');
    const cases: [string[], string][] = [
      [['fill', 'no-such', '--identity', 'bad.json', '--json'], 'forms/unknown-form'],
      [['fill', 'ct01', '--identity', 'missing.json', '--json'], 'cli/usage'],
      [['fill', 'ct01', '--identity', 'bad.json', '--json'], 'cli/usage'],
      [['fill', 'ct01', '--identity', 'list.json', '--json'], 'forms/invalid-identity'],
      [['fill', 'ct01', '--answers', 'list.json', '--json'], 'forms/invalid-answers'],
      [['fill', 'ct01', '--json'], 'cli/usage'],
      [['frobnicate', '--json'], 'cli/usage'],
      [['fill', 'ct01', '--identity', 'bad.json', '--today', '2026-13-45', '--json'], 'cli/usage'],
    ];
    for (const [argv, code] of cases) {
      const r = await run(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(JSON.parse(r.out).error.code, argv.join(' ')).toBe(code);
    }
  });
});
