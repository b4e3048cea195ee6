import { describe, expect, it } from 'vitest';
import { centuryDigits } from '../data/centuryDigits.js';
import { provinceCodes } from '../data/provinceCodes.js';
import type { PartialDate } from '../identity/CitizenIdentity.js';
import { ageOn, comparePartialDates, daysInMonth, formatDate, parseDate, parseYYMMDD } from './dates.js';
import { parseIdNumber, validateIdNumber } from './idNumber.js';
import { createRng } from '../ports/random.js';

// Seeded (core's createRng), so a run reproduces.
const rng = (seed: number): (() => number) => createRng(seed).next;
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function randomDate(r: () => number, lo = 1900, hi = 2099): PartialDate {
  const year = int(r, lo, hi);
  const p = r();
  if (p < 0.1) return { year };
  const month = int(r, 1, 12);
  if (p < 0.2) return { year, month };
  return { year, month, day: int(r, 1, daysInMonth(year, month)) };
}

const today = new Date('2026-11-29T05:00:00Z');
const todayDate = { year: 2026, month: 11, day: 29 };

describe('properties', () => {
  it('every valid date survives format → parse in every format', () => {
    const r = rng(11);
    for (let i = 0; i < 3000; i++) {
      const d = randomDate(r, 1000, 9999);
      for (const f of ['dd/mm/yyyy', 'ddmmyyyy', 'yyyy-mm-dd', 'words-vi'] as const) {
        expect(parseDate(formatDate(d, f))).toEqual(d);
      }
    }
  });

  it('a birth date of the last 100 years survives YYMMDD', () => {
    const r = rng(12);
    for (let i = 0; i < 3000; i++) {
      const d = randomDate(r, 1927, 2026);
      if (comparePartialDates(d, todayDate) > 0) continue;
      const text = `${pad(d.year % 100, 2)}${pad(d.month ?? 0, 2)}${pad(d.day ?? 0, 2)}`;
      const back = parseYYMMDD(text, { kind: 'birth', today });
      expect(back).toEqual(d);
      expect(comparePartialDates(back, todayDate)).toBeLessThanOrEqual(0);
      expect(ageOn(back, today)).toBeGreaterThanOrEqual(-1);
    }
  });

  it('an expiry date within [-50, +49] years survives YYMMDD', () => {
    const r = rng(13);
    for (let i = 0; i < 3000; i++) {
      const d = randomDate(r, 1976, 2075);
      const text = `${pad(d.year % 100, 2)}${pad(d.month ?? 0, 2)}${pad(d.day ?? 0, 2)}`;
      expect(parseYYMMDD(text, { kind: 'expiry', today })).toEqual(d);
    }
  });

  it('a number built from a birth year, a sex and a province parses back and validates clean', () => {
    const r = rng(14);
    for (let i = 0; i < 3000; i++) {
      const dob = randomDate(r, 1900, 2026);
      if (comparePartialDates(dob, todayDate) > 0) continue;
      const sex = r() < 0.5 ? 'M' : 'F';
      const digit = centuryDigits.find((c) => c.century === Math.floor(dob.year / 100) * 100 && c.sex === sex);
      const province = provinceCodes[int(r, 0, provinceCodes.length - 1)];
      if (!digit || !province) throw new Error('generator');
      const serial = pad(int(r, 1, 999_999), 6);
      const id = `${province.code}${digit.digit}${pad(dob.year % 100, 2)}${serial}`;
      const parts = parseIdNumber(id);
      expect(`${parts.provinceCode}${parts.centuryDigit}${parts.birthYearDigits}${parts.serial}`).toBe(id);
      expect(parts.birthYearFromNumber).toBe(dob.year);
      expect(parts.sex).toBe(sex);
      const v = validateIdNumber(id, { dateOfBirth: dob, sex, today });
      expect(v.issues.filter((x) => x.code !== 'id/repeated-digits')).toEqual([]);
      // and any other year or sex is caught
      const w = validateIdNumber(id, {
        dateOfBirth: { year: dob.year + int(r, 1, 99) },
        sex: sex === 'M' ? 'F' : 'M',
        today,
      });
      expect(w.issues.map((x) => x.code)).toEqual(
        expect.arrayContaining(['id/birth-year-mismatch', 'id/sex-mismatch']),
      );
    }
  });
});
