import { defineBench, percentile, type BenchTable } from '@smart-citizen/bench';
import {
  createRng,
  foldDiacritics,
  foldForCompare,
  normalizeVietnamese,
  parseDate,
  parseIdNumber,
  parseSex,
  parseYYMMDD,
  provinceCodes,
  safeParseDate,
  safeParseIdNumber,
  SmartCitizenError,
  similarityVietnamese,
  toNameCase,
  validateCmndNumber,
  validateIdNumber,
} from '@smart-citizen/core';

// Seeded (core's createRng), so a run reproduces.
const rng = (seed: number): (() => number) => createRng(seed).next;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const FAMILY = [
  'NGUYỄN',
  'TRẦN',
  'LÊ',
  'PHẠM',
  'HOÀNG',
  'HUỲNH',
  'PHAN',
  'VŨ',
  'ĐẶNG',
  'BÙI',
  'ĐỖ',
  'HỒ',
  'NGÔ',
  'DƯƠNG',
];
const MIDDLE = ['VĂN', 'THỊ', 'HỮU', 'ĐỨC', 'NGỌC', 'MINH', 'THANH', 'XUÂN', 'QUỐC', 'KHÁNH'];
const GIVEN = ['AN', 'BÌNH', 'HOÀ', 'THUỶ', 'KHOẺ', 'HƯƠNG', 'TRƯỜNG', 'NGUYỆT', 'QUỲNH', 'ĐÀO', 'ƯỚC', 'LOAN', 'HUỆ'];

function makeInputs(r: () => number, n: number) {
  const ids: string[] = [];
  const dates: string[] = [];
  const compact: string[] = [];
  const yymmdd: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const year = 1930 + Math.floor(r() * 95);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const digit = (year >= 2000 ? 2 : 0) + (r() < 0.5 ? 0 : 1);
    ids.push(`${pick(r, provinceCodes).code}${digit}${pad(year % 100, 2)}${pad(Math.floor(r() * 1e6), 6)}`);
    dates.push(`${pad(day, 2)}/${pad(month, 2)}/${year}`);
    compact.push(`${pad(day, 2)}${pad(month, 2)}${year}`);
    yymmdd.push(`${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}`);
    names.push(`${pick(r, FAMILY)} ${pick(r, MIDDLE)} ${pick(r, GIVEN)}`);
  }
  return { ids, dates, compact, yymmdd, names };
}

interface Case {
  operation: string;
  input: string;
  fn: (i: number) => unknown;
}

/** Time `fn` over the input set in batches until `budgetMs` is spent. */
function measure(c: Case, n: number, budgetMs: number) {
  const batch = 500;
  // warm-up so the JIT has compiled the path
  for (let i = 0; i < batch * 4; i++) c.fn(i % n);
  const perOp: number[] = [];
  let ops = 0;
  let k = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    const b0 = performance.now();
    for (let i = 0; i < batch; i++) c.fn(k++ % n);
    perOp.push(((performance.now() - b0) * 1000) / batch);
    ops += batch;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    operation: c.operation,
    input: c.input,
    'ops/s': Math.round(ops / seconds),
    'median µs/op': percentile(perOp, 50),
    'p95 µs/op': percentile(perOp, 95),
  };
}

function randomString(r: () => number): string {
  const alphabets = ['0123456789', '0123456789 /.-<', 'aăâeêioôơuưyđ ĐƯƠ\u0300\u0301\u0309', 'NamNữFM: '];
  const len = Math.floor(r() * 24);
  let s = '';
  const raw = r() < 0.15;
  for (let i = 0; i < len; i++) {
    if (raw) s += String.fromCharCode(Math.floor(r() * 0x10000));
    else {
      const a = pick(r, alphabets);
      s += a[Math.floor(r() * a.length)];
    }
  }
  return s;
}

export const bench = defineBench({
  name: 'rules',
  pkg: 'core',
  description: 'ID-number, date and sex rules and Vietnamese text normalisation: throughput, plus a fuzz run',
  async run(ctx) {
    const r = rng(42);
    const n = 5000;
    const inp = makeInputs(r, n);
    const today = new Date('2026-11-29T05:00:00Z');
    const budget = ctx.quick ? 150 : 1000;
    const cases: Case[] = [
      { operation: 'parseIdNumber', input: '12-digit, 63 codes', fn: (i) => parseIdNumber(inp.ids[i] as string) },
      {
        operation: 'validateIdNumber',
        input: '12-digit + dob + sex',
        fn: (i) => validateIdNumber(inp.ids[i] as string, { dateOfBirth: { year: 1990 }, sex: 'M', today }),
      },
      {
        operation: 'safeParseIdNumber',
        input: 'malformed (11 digits)',
        fn: (i) => safeParseIdNumber((inp.ids[i] as string).slice(1)),
      },
      {
        operation: 'validateCmndNumber',
        input: '9-digit',
        fn: (i) => validateCmndNumber((inp.ids[i] as string).slice(3)),
      },
      { operation: 'parseDate', input: 'dd/mm/yyyy', fn: (i) => parseDate(inp.dates[i] as string, 'dd/mm/yyyy') },
      { operation: 'parseDate', input: 'ddmmyyyy', fn: (i) => parseDate(inp.compact[i] as string, 'ddmmyyyy') },
      { operation: 'parseDate', input: 'auto (dd/mm/yyyy)', fn: (i) => parseDate(inp.dates[i] as string) },
      {
        operation: 'parseYYMMDD',
        input: 'birth',
        fn: (i) => parseYYMMDD(inp.yymmdd[i] as string, { kind: 'birth', today }),
      },
      { operation: 'safeParseDate', input: 'malformed text', fn: (i) => safeParseDate(inp.names[i] as string) },
      { operation: 'parseSex', input: 'Nam / Nữ', fn: (i) => parseSex(i % 2 ? 'Nam' : 'NỮ') },
      {
        operation: 'normalizeVietnamese',
        input: 'upper-case name',
        fn: (i) => normalizeVietnamese(inp.names[i] as string),
      },
      { operation: 'foldDiacritics', input: 'upper-case name', fn: (i) => foldDiacritics(inp.names[i] as string) },
      { operation: 'foldForCompare', input: 'upper-case name', fn: (i) => foldForCompare(inp.names[i] as string) },
      { operation: 'toNameCase', input: 'upper-case name', fn: (i) => toNameCase(inp.names[i] as string) },
      {
        operation: 'similarityVietnamese',
        input: 'name vs name',
        fn: (i) => similarityVietnamese(inp.names[i] as string, inp.names[(i + 1) % n] as string),
      },
    ];
    const rows = [];
    for (const c of cases) {
      ctx.progress(`${c.operation} (${c.input})`);
      rows.push(measure(c, n, budget));
    }

    // Fuzz: random strings into every parser; anything but a SmartCitizenError is a failure.
    const fuzzN = ctx.quick ? 10_000 : 200_000;
    ctx.progress(`fuzz ${fuzzN} inputs`);
    const fr = rng(7);
    let typedErrors = 0;
    let untyped = 0;
    let accepted = 0;
    const parsers: [string, (s: string) => unknown][] = [
      ['parseIdNumber', (s) => parseIdNumber(s)],
      ['validateIdNumber', (s) => validateIdNumber(s, { today })],
      ['validateCmndNumber', (s) => validateCmndNumber(s)],
      ['parseDate auto', (s) => parseDate(s, 'auto', { today })],
      ['parseDate ddmmyyyy', (s) => parseDate(s, 'ddmmyyyy')],
      ['parseYYMMDD expiry', (s) => parseYYMMDD(s, { kind: 'expiry', today })],
      ['parseSex', (s) => parseSex(s)],
      ['normalizeVietnamese', (s) => normalizeVietnamese(s)],
      ['toNameCase', (s) => toNameCase(s)],
    ];
    const f0 = performance.now();
    for (let i = 0; i < fuzzN; i++) {
      const s = randomString(fr);
      for (const [, p] of parsers) {
        try {
          p(s);
          accepted++;
        } catch (err) {
          if (err instanceof SmartCitizenError) typedErrors++;
          else untyped++;
        }
      }
    }
    const fuzzSeconds = (performance.now() - f0) / 1000;
    const fuzzTable: BenchTable = {
      title: 'Fuzz: random strings into every parser',
      rows: [
        {
          inputs: fuzzN,
          parsers: parsers.length,
          calls: fuzzN * parsers.length,
          returned: accepted,
          'typed errors': typedErrors,
          'untyped throws': untyped,
          'calls/s': Math.round((fuzzN * parsers.length) / fuzzSeconds),
        },
      ],
    };
    if (untyped > 0) throw new Error(`fuzz: ${untyped} untyped throws`);
    return {
      tables: [{ title: 'Rules and text throughput (one core)', rows }, fuzzTable],
      data: { inputs: n, budgetMsPerCase: budget, fuzzInputs: fuzzN },
      notes: [
        'Inputs are generated (seeded): valid 12-digit numbers over the 63 province codes, dates 1930–2024, upper-case names.',
        'µs/op is the time of a batch of 500 calls divided by 500; median and p95 over the batches.',
      ],
    };
  },
});
