import { describe, expect, it } from 'vitest';
import { SmartCitizenError } from '../errors/SmartCitizenError.js';
import {
  equalsVietnamese,
  foldDiacritics,
  foldForCompare,
  normalizeVietnamese,
  similarityVietnamese,
  toNameCase,
  toUpperVietnamese,
} from '../text/index.js';
import { formatDate, isValidPartialDate, parseDate, parseYYMMDD, safeParseDate } from './dates.js';
import { parseIdNumber, safeParseIdNumber, validateIdNumber } from './idNumber.js';
import { provinceByCode } from './provinceByCode.js';
import { parseSex } from './sex.js';
import { validateCmndNumber } from './validateCmndNumber.js';
import { createRng } from '../ports/random.js';

// Seeded (core's createRng), so a run reproduces.
const rng = (seed: number): (() => number) => createRng(seed).next;

const ALPHABETS = [
  '0123456789',
  '0123456789 /.-<',
  'aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐ bcdghklmnpqrstvx',
  '\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b aoeuiy',
  'ngàythángnăm 0123456789',
  'NamNữnuMFmalefemale: ',
  '\u00a0\u200b\ufeff\t\n \u00ad\u00d0\u00f0',
];

function randomString(r: () => number): string {
  const len = Math.floor(r() * 24);
  let s = '';
  const mode = r();
  for (let i = 0; i < len; i++) {
    if (mode < 0.15) {
      // arbitrary code units, lone surrogates included
      s += String.fromCharCode(Math.floor(r() * 0x10000));
    } else {
      const alpha = ALPHABETS[Math.floor(r() * ALPHABETS.length)] ?? '';
      s += alpha[Math.floor(r() * alpha.length)] ?? '';
    }
  }
  return s;
}

/** Run fn; a thrown SmartCitizenError is fine, anything else fails the test with the input. */
function typedOnly(input: string, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SmartCitizenError) return err;
    throw new Error(`untyped throw for input ${JSON.stringify(input)}: ${String(err)}`);
  }
}

// ~6e3 per parser keeps this file under ~10 s on a shared 2-core machine; the bench fuzzes 1e5+.
const N = 6_000;
const today = new Date('2026-11-29');

describe('fuzz: random strings into every parser', () => {
  it('ID numbers, CMND, province codes: typed errors or issues only', () => {
    const r = rng(1);
    for (let i = 0; i < N; i++) {
      const s = i % 4 === 0 ? `${Math.floor(r() * 1e12)}`.padStart(12, '0') : randomString(r);
      const parsed = typedOnly(s, () => parseIdNumber(s));
      if (parsed instanceof SmartCitizenError) expect(parsed.code).toBe('id/malformed');
      else expect((parsed as { idNumber: string }).idNumber).toMatch(/^\d{12}$/);
      const safe = safeParseIdNumber(s, { today });
      expect(safe.ok).toBe(!(parsed instanceof SmartCitizenError));
      const v = validateIdNumber(s, { today, dateOfBirth: { year: 1990 + (i % 40) }, sex: i % 2 ? 'M' : 'F' });
      expect(Array.isArray(v.issues)).toBe(true);
      for (const is of v.issues) expect(is.code).toMatch(/^(id|date)\/[a-z-]+$/);
      const c = validateCmndNumber(s);
      expect(c.issues.length > 0 || c.kind !== undefined).toBe(true);
      typedOnly(s, () => provinceByCode(s));
    }
  });

  it('dates: typed errors only, and every parsed date is valid and formats back', () => {
    const r = rng(2);
    const formats = ['auto', 'dd/mm/yyyy', 'ddmmyyyy', 'yymmdd'] as const;
    for (let i = 0; i < N; i++) {
      const s = i % 3 === 0 ? randomString(r).replace(/[^0-9/.<-]/g, '') : randomString(r);
      for (const f of formats) {
        const d = typedOnly(s, () => parseDate(s, f, { today }));
        if (d instanceof SmartCitizenError) {
          expect(['date/malformed', 'date/invalid']).toContain(d.code);
        } else {
          const pd = d as Parameters<typeof formatDate>[0];
          expect(isValidPartialDate(pd)).toBe(true);
          expect(parseDate(formatDate(pd, 'dd/mm/yyyy'))).toEqual(pd);
        }
        expect(typeof safeParseDate(s, f, { today }).ok).toBe('boolean');
      }
      for (const kind of ['birth', 'expiry'] as const) {
        const d = typedOnly(s, () => parseYYMMDD(s, { kind, today }));
        if (!(d instanceof SmartCitizenError)) expect(isValidPartialDate(d as { year: number })).toBe(true);
      }
    }
  });

  it('text functions never throw and keep their invariants', () => {
    const r = rng(3);
    for (let i = 0; i < N; i++) {
      const s = randomString(r);
      const t = randomString(r);
      const n = normalizeVietnamese(s);
      expect(normalizeVietnamese(n)).toBe(n);
      expect(n).toBe(n.normalize('NFC'));
      expect(n).toBe(n.trim());
      expect(foldDiacritics(s)).not.toMatch(/[\u0300-\u036fđĐ]/);
      const key = foldForCompare(s);
      expect(key).toBe(key.toLowerCase());
      expect(equalsVietnamese(s, s)).toBe(true);
      expect(equalsVietnamese(s, n, { ignoreDiacritics: true })).toBe(true);
      toNameCase(s);
      toUpperVietnamese(s);
      const sim = similarityVietnamese(s, t);
      expect(sim).toBeGreaterThanOrEqual(0);
      expect(sim).toBeLessThanOrEqual(1);
      expect(similarityVietnamese(s, t)).toBe(similarityVietnamese(t, s));
      const sex = parseSex(s);
      expect(sex === undefined || sex === 'M' || sex === 'F').toBe(true);
    }
  });

  it('huge inputs are refused or handled fast, not hung', () => {
    const big = `${'0'.repeat(1_000_000)}1`;
    const t0 = performance.now();
    expect(safeParseIdNumber(big).ok).toBe(false);
    expect(validateCmndNumber(big).issues[0]?.code).toBe('cmnd/malformed');
    expect(safeParseDate(big).ok).toBe(false);
    expect(parseSex(big)).toBeUndefined();
    expect(normalizeVietnamese(`  ${'hoà '.repeat(100_000)}`).startsWith('hòa hòa')).toBe(true);
    expect(() => similarityVietnamese(big, big)).toThrow(SmartCitizenError);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
