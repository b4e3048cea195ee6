import { describe, expect, it } from 'vitest';
import { SmartCitizenError } from '../errors/SmartCitizenError.js';
import { createRng } from '../ports/random.js';
import { MRZ_ALPHABET } from './checkDigit.js';
import { formatVietnamTd1Mrz } from './formatMrz.js';
import { parseMrz, safeParseMrz } from './parseMrz.js';

const today = new Date('2026-06-01T00:00:00Z');
const LOOKALIKE: Record<string, string> = { '0': 'O', '1': 'I', '8': 'B', '5': 'S', '2': 'Z', '6': 'G' };

function randomVietnamMrz(next: () => number): string[] {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
  const year = 1940 + Math.floor(next() * 80);
  const sex = next() < 0.5 ? 'M' : 'F';
  const century = (year >= 2000 ? 2 : 0) + (sex === 'F' ? 1 : 0);
  return formatVietnamTd1Mrz({
    personalNumber: `0${digits(2)}${century}${String(year % 100).padStart(2, '0')}${digits(6)}`,
    fullName: ['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Hoàng', 'Đỗ Minh Châu'][Math.floor(next() * 4)] as string,
    dateOfBirth: { year, month: 1 + Math.floor(next() * 12), day: 1 + Math.floor(next() * 28) },
    sex,
    expiryDate: {
      year: 2027 + Math.floor(next() * 20),
      month: 1 + Math.floor(next() * 12),
      day: 1 + Math.floor(next() * 28),
    },
  });
}

describe('parseMrz fuzz', () => {
  it('never throws anything but a typed error on random text, and never calls noise valid', () => {
    const { next } = createRng(14);
    const alphabets = [MRZ_ALPHABET, `${MRZ_ALPHABET}«‹ \n`, 'ĐđƯưẤấ\u0301\u200b\t\n<', '\n'];
    for (let n = 0; n < 3000; n++) {
      const abc = alphabets[n % alphabets.length] as string;
      const len = n % 3 === 0 ? 90 + Math.floor(next() * 6) - 3 : Math.floor(next() * 120);
      let s = '';
      for (let i = 0; i < len; i++) s += abc[Math.floor(next() * abc.length)];
      if (n % 3 === 0) s = `${s.slice(0, 30)}\n${s.slice(30, 60)}\n${s.slice(60)}`;
      const r = safeParseMrz(s, { today });
      if (r.ok) expect(r.value.valid).toBe(false);
      else expect(r.error).toBeInstanceOf(SmartCitizenError);
    }
  });

  it('repairs random look-alike confusions in digit places to the exact original, or says invalid', () => {
    const { next } = createRng(9303);
    let repaired = 0;
    for (let n = 0; n < 400; n++) {
      const good = randomVietnamMrz(next);
      expect(parseMrz(good, { today }).valid).toBe(true);
      const bad = good.map((l) => [...l]);
      const k = 1 + Math.floor(next() * 3);
      for (let j = 0; j < k; j++) {
        const line = Math.floor(next() * 2);
        const col = Math.floor(next() * 30);
        const ch = bad[line]?.[col] as string;
        if (LOOKALIKE[ch]) (bad[line] as string[])[col] = LOOKALIKE[ch] as string;
      }
      const r = parseMrz(
        bad.map((l) => l.join('')),
        { today },
      );
      if (r.valid) {
        expect(r.lines).toEqual(good);
        repaired++;
      }
    }
    expect(repaired).toBeGreaterThan(350);
  });

  it('never calls a zone with one digit changed to another digit valid (7-3-1 weights catch every single substitution)', () => {
    const { next } = createRng(731);
    for (let n = 0; n < 400; n++) {
      const good = randomVietnamMrz(next);
      const line = Math.floor(next() * 2);
      const digitCols = [...(good[line] as string)].flatMap((c, i) => (/\d/.test(c) ? [i] : []));
      const col = digitCols[Math.floor(next() * digitCols.length)] as number;
      const old = Number(good[line]?.[col]);
      const bad = good.map((l, i) =>
        i === line ? l.slice(0, col) + String((old + 1 + Math.floor(next() * 9)) % 10) + l.slice(col + 1) : l,
      );
      expect(parseMrz(bad, { today }).valid).toBe(false);
    }
  });
});
