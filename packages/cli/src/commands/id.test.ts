import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectJson, runCaptured } from '../testing/runCaptured.js';

const run = (...argv: string[]) => runCaptured(['id', ...argv, '--today', '2026-11-29']);

describe('smart-citizen id', () => {
  it('prints the parts of a valid number and exits 0', async () => {
    const r = await run('001099012345');
    expect(r.code).toBe(0);
    expect(r.out).toContain('001 Thành phố Hà Nội');
    expect(r.out).toMatch(/Century \/ sex\s+0: born 1900–1999, Nam \(male\)/);
    expect(r.out).toMatch(/Birth year\s+99 → 1999/);
    expect(r.out).toMatch(/Issues\s+none/);
    expect(r.err).toBe('');
  });

  it('prints JSON with --json', async () => {
    const r = await run('079', '303', '000123', '--json');
    const j = expectJson(r);
    expect(j.ok).toBe(true);
    expect(j.parts).toMatchObject({
      provinceCode: '079',
      provinceName: 'Hồ Chí Minh',
      centuryDigit: 3,
      century: 2000,
      sex: 'F',
      birthYearDigits: '03',
      birthYearFromNumber: 2003,
    });
    expect(j.province.fullName).toBe('Thành phố Hồ Chí Minh');
    expect(j.issues).toEqual([]);
  });

  it('checks --dob and --sex and exits 1 on error issues', async () => {
    const r = await run('001099012345', '--dob', '01/02/1998', '--sex', 'Nữ', '--json');
    const j = expectJson(r, 1);
    expect(j.ok).toBe(false);
    expect(j.checkedAgainst).toEqual({ dateOfBirth: '1998-02-01', sex: 'F' });
    expect(j.issues.map((i: { code: string }) => i.code)).toEqual(['id/birth-year-mismatch', 'id/sex-mismatch']);
    const human = await run('001099012345', '--dob', '1998', '--sex', 'nu');
    expect(human.code).toBe(1);
    expect(human.out).toContain('id/birth-year-mismatch');
    expect(human.out).toContain('NOT VALID');
  });

  it('accepts a consistent --dob and --sex', async () => {
    const r = await run('001199012345', '--dob', '04/03/1999', '--sex', 'NỮ');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Checked against date of birth 04/03/1999, sex Nữ');
  });

  it('warns (exit 0) about a code outside the table, names the 2025 province for merged ones', async () => {
    const r = await run('003099012345');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(not in the code table)');
    expect(r.out).toContain('warning id/province-unknown');
    const merged = await run('035099012345');
    expect(merged.out).toContain('Tỉnh Hà Nam (since 1 July 2025: Ninh Bình)');
  });

  it('exits 2 with a clear message on malformed input', async () => {
    for (const argv of [['12345'], ['0010990123456'], ['abcdefghijkl']]) {
      const r = await run(...(argv as [string]));
      expect(r.code).toBe(2);
      expect(r.err).toContain('exactly 12 digits');
      expect(r.out).toBe('');
    }
    const j = await run('12345', '--json');
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out).error.code).toBe('id/malformed');
  });

  it('exits 2 on bad options', async () => {
    for (const argv of [
      ['001099012345', '--dob', '31/02/1999'],
      ['001099012345', '--dob', 'yesterday'],
      ['001099012345', '--sex', 'X'],
      ['001099012345', '--unknown'],
      [],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain('Usage: smart-citizen id');
    }
  });

  it('is listed in --help and prints its usage with id --help', async () => {
    const io = await runCaptured(['--help']);
    expect(io.code).toBe(0);
    expect(io.out).toMatch(/\bid\s+parse and check a 12-digit identification number/);
    const io2 = await runCaptured(['id', '--help']);
    expect(io2.code).toBe(0);
    expect(io2.out).toContain('--dob');
  });

  it('works as a real process through the binary entry point', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const main = 'packages/cli/src/main.ts';
    const args = ['--import', 'tsx', '--conditions=@smart-citizen/source', main, 'id'];
    const ok = spawnSync(process.execPath, [...args, '001099012345', '--json'], { cwd: root, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).parts.birthYearFromNumber).toBe(1999);
    const bad = spawnSync(process.execPath, [...args, '12345'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('exactly 12 digits');
    const mismatch = spawnSync(process.execPath, [...args, '001099012345', '--sex', 'Nữ'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(mismatch.status).toBe(1);
    expect(mismatch.stdout).toContain('id/sex-mismatch');
  });
});
