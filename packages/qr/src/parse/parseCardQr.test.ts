import { isSmartCitizenError } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@smart-citizen/core';
import { fuzzPayload } from '../testing/fuzzPayload.js';
import { randomCardPayload } from '../testing/randomCardPayload.js';
import { detectPayloadKind } from './payloadKind.js';
import { parseCardQr, safeParseCardQr } from './parseCardQr.js';

const today = new Date('2026-06-01T00:00:00Z');
const SAMPLE = '001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 1 Ngõ 2, Láng Hạ, Đống Đa, Hà Nội|15072021';

function codes(text: string): string[] {
  return parseCardQr(text, { today }).issues.map((i) => i.code);
}

function errorCode(text: string): string | undefined {
  const r = safeParseCardQr(text, { today });
  return r.ok ? undefined : r.error.code;
}

describe('parseCardQr', () => {
  it('parses the documented example into an identity without issues', () => {
    const r = parseCardQr(SAMPLE, { today });
    expect(r.identity).toEqual({
      idNumber: '001099012345',
      oldIdNumber: '123456789',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: { year: 1999, month: 1, day: 1 },
      sex: 'M',
      placeOfResidence: 'Số 1 Ngõ 2, Láng Hạ, Đống Đa, Hà Nội',
      issueDate: { year: 2021, month: 7, day: 15 },
      cardType: 'cccd-chip-2021',
    });
    expect(r.issues).toEqual([]);
    expect(r.raw).toBe(SAMPLE);
  });

  it.each([
    ['empty old CMND', SAMPLE.replace('|123456789|', '||'), []],
    ['NUL padding', `${SAMPLE}\u0000\u0000\u0000`, []],
    ['trailing whitespace and CRLF', `  ${SAMPLE}\r\n`, []],
    ['BOM', `\uFEFF${SAMPLE}`, []],
    ['extra empty fields (2024 cards)', `${SAMPLE}||`, []],
    ['extra data fields', `${SAMPLE}|Nguyễn Văn Bình|Trần Thị Cúc`, ['qr/extra-fields']],
    ['decomposed (NFD) name', SAMPLE.normalize('NFD'), []],
    ['female, 2000s', '079303001234||Lê Thị Hồng|12052003|Nữ|Quận 1, TP Hồ Chí Minh|01082024', []],
    ['sex disagrees with century digit', SAMPLE.replace('|Nam|', '|Nữ|'), ['id/sex-mismatch']],
    ['birth year disagrees with the number', SAMPLE.replace('01011999', '01011998'), ['id/birth-year-mismatch']],
    ['impossible date of birth', SAMPLE.replace('01011999', '31021999'), ['date/invalid']],
    [
      'issue date before birth',
      SAMPLE.replace('15072021', '15071998'),
      ['qr/issue-before-birth', 'qr/issue-date-before-chip-cards'],
    ],
    ['issue date in the future', SAMPLE.replace('15072021', '15072027'), ['qr/issue-date-in-future']],
    ['unknown province', SAMPLE.replace('001099', '999099'), ['id/province-unknown']],
    ['bad old CMND', SAMPLE.replace('123456789', '12345'), ['cmnd/malformed']],
    ['unreadable sex', SAMPLE.replace('|Nam|', '|X|'), ['qr/sex-unrecognised']],
    ['missing name', SAMPLE.replace('Nguyễn Văn An', ''), ['qr/name-missing']],
    [
      'future birth',
      '001226012345||A B|01122026|Nam|HN|15072021',
      ['qr/birth-date-in-future', 'qr/issue-before-birth'],
    ],
    [
      'birth year in the future',
      '001227012345||A B|01012027|Nam|HN|15072021',
      ['id/birth-year-in-future', 'qr/birth-date-in-future', 'qr/issue-before-birth'],
    ],
  ] as const)('%s', (_name, text, expected) => {
    expect(codes(text).sort()).toEqual([...expected].sort());
  });

  it('keeps partial dates (unknown day and month) as partial', () => {
    const r = parseCardQr(SAMPLE.replace('01011999', '00001999'), { today });
    expect(r.identity.dateOfBirth).toEqual({ year: 1999 });
    expect(r.issues).toEqual([]);
  });

  it('marks cards issued from July 2024 as Căn cước', () => {
    expect(parseCardQr(SAMPLE.replace('15072021', '02072024'), { today }).identity.cardType).toBe('can-cuoc-2024');
  });

  it.each([
    ['', 'qr/empty-payload'],
    ['\u0000\u0000 ', 'qr/empty-payload'],
    ['https://dichvucong.gov.vn/p/home', 'qr/not-a-card-payload'],
    [
      '00020101021238570010A000000727012700069704070113VQRQ0001234560208QRIBFTTA53037045802VN62150811Thanh toan6304ABCD',
      'qr/not-a-card-payload',
    ],
    [
      'HN4010123456789|4e677579e1bb856e2056c4836e20416e|01/01/1990|1|486120e1bb99690a|01 - 001|01/01/2024|-|$',
      'qr/not-a-card-payload',
    ],
    ['hello world', 'qr/not-a-card-payload'],
    ['001099012345', 'qr/truncated-payload'],
    ['001099012345|123456789|Nguyễn Văn An|0101', 'qr/truncated-payload'],
    [SAMPLE.slice(0, -4), 'qr/truncated-payload'],
    [`${SAMPLE.slice(0, SAMPLE.lastIndexOf('|'))}|`, 'qr/truncated-payload'],
    ['12345|a|b|c|d|e|f', 'qr/not-a-card-payload'],
    ['x'.repeat(5000), 'qr/not-a-card-payload'],
  ])('rejects %j with %s', (text, code) => {
    expect(errorCode(text)).toBe(code);
    expect(() => parseCardQr(text, { today })).toThrow(expect.objectContaining({ code }));
  });

  it('names the kind of foreign code it rejected', () => {
    const r = safeParseCardQr('00020101021138540010A00000072701240006970403011012345678905802VN6304ABCD');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.details).toMatchObject({ kind: 'vietqr' });
    expect(detectPayloadKind('www.example.com')).toBe('url');
    expect(detectPayloadKind(SAMPLE)).toBe('cccd');
  });

  it('parses generated payloads back to the facts they encode', () => {
    const rng = createRng(7);
    for (let i = 0; i < 500; i++) {
      const g = randomCardPayload(rng);
      const r = parseCardQr(g.text, { today });
      expect(r.issues.filter((x) => x.severity !== 'info')).toEqual([]);
      expect(r.identity.idNumber).toBe(g.idNumber);
      expect(r.identity.fullName).toBe(g.fullName);
      expect(r.identity.dateOfBirth).toEqual(g.dateOfBirth);
      expect(r.identity.sex).toBe(g.sex);
      expect(r.identity.issueDate).toEqual(g.issueDate);
    }
  });
});

describe('parseCardQr fuzz', () => {
  it('returns a result or a typed error for 100,000 random and mutated payloads', () => {
    const rng = createRng(20260601);
    let typed = 0;
    const n = 100_000;
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const base = i % 50 === 0 ? SAMPLE : randomCardPayload(rng).text;
      const text = fuzzPayload(rng, base);
      const t0 = performance.now();
      try {
        const r = parseCardQr(text, { today });
        expect(r.identity.idNumber).toMatch(/^\d{12}$/);
      } catch (err) {
        if (!isSmartCitizenError(err) || !err.code.startsWith('qr/')) throw err;
        typed++;
      }
      times[i] = performance.now() - t0;
    }
    expect(typed).toBeGreaterThan(1000);
    times.sort();
    // The median guards against slow paths; the maximum against a hang. (Single calls can
    // take milliseconds on a shared machine when the process is descheduled or collects.)
    expect(times[n >> 1]).toBeLessThan(0.5);
    expect(times[n - 1]).toBeLessThan(2000);
  });
});
