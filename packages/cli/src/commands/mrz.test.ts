import { describe, expect, it } from 'vitest';
import { writeCardPhotos } from '../testing/cardPhotos.js';
import { expectJson, runCaptured, tempDir } from '../testing/runCaptured.js';

const EXAMPLE = 'IDVNM0930470641001093047064<<2\\n9301054M3301052VNM<<<<<<<<<<<8\\nUNG<<HOANG<HIEP<<<<<<<<<<<<<<<';

const run = (...argv: string[]) => runCaptured(['mrz', ...argv, '--today', '2026-06-01']);

describe('smart-citizen mrz', () => {
  it('parses the example zone with a literal \\n and prints JSON', async () => {
    const r = await run('--text', EXAMPLE, '--json');
    const j = expectJson(r);
    expect(j).toMatchObject({
      valid: true,
      personalNumber: '001093047064',
      documentNumber: '093047064',
      fullName: 'UNG HOANG HIEP',
    });
    expect(j.checks).toHaveLength(5);
  });

  it('repairs a confusion, prints it, and exits 1 when a check fails without repair', async () => {
    const bad = EXAMPLE.replace('9301054', '93O1054');
    const fixed = await run('--text', bad);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toMatch(/Repaired\s+line 2 col 3: 'O' → '0' \(dateOfBirth\)/);
    const raw = await run('--text', bad, '--no-repair', '--json');
    expect(raw.code).toBe(1);
    expect(JSON.parse(raw.out).issues.map((i: { code: string }) => i.code)).toContain('mrz/check-digit');
  });

  it('exits 2 with a typed message on text that is not a TD1 zone', async () => {
    const r = await run(
      '--text',
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('not an ID card');
    expect((await run()).code).toBe(2);
  });

  it('reads the MRZ from a photo of a card back (tesseract.js line OCR) and says when a photo has none', async () => {
    const dir = tempDir('sc-mrz-');
    const { 'back.jpg': back } = await writeCardPhotos(dir, 5, {
      'back.jpg': ['cccd-2021', 'back', 0],
      'front.jpg': ['cmnd-9', 'front', 0],
    });
    const io = await runCaptured(['mrz', 'back.jpg', '--json', '--today', '2026-06-01'], dir);
    const j = expectJson(io);
    expect(j.valid).toBe(true);
    expect(j.lines).toEqual(back!.identity.mrz);
    expect(j.personalNumber).toBe(back!.identity.idNumber);
    const none = await runCaptured(['mrz', 'front.jpg'], dir);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no MRZ read from front\.jpg: a cmnd-9 front has no MRZ/);
    expect((await runCaptured(['mrz', 'missing.jpg'], dir)).code).toBe(2);
  });
});
