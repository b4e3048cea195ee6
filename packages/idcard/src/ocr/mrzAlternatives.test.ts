import { formatVietnamTd1Mrz, parseMrz } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import type { RecognizedChar, RecognizedLine } from './ctcDecode.js';
import { nameLineConfidence, repairMrzFromAlternatives, repairMrzFromReadings } from './mrzAlternatives.js';

const today = new Date(Date.UTC(2026, 11, 6));
// the example zone: personal number 001093047064, born 05/01/1993, male, expires 05/01/2033
const truth = ['IDVNM0930470641001093047064<<2', '9301054M3301052VNM<<<<<<<<<<<8', 'UNG<<HOANG<HIEP<<<<<<<<<<<<<<<'];

type Misread = Record<string, Pick<RecognizedChar, 'char' | 'confidence' | 'alternatives'>>;

/** The zone as read: every character at 0.99 except `misread` ("line:column" → what the recogniser gave). */
function read(lines: readonly string[], misread: Misread = {}): RecognizedLine[] {
  return lines.map((text, l) => {
    const chars: RecognizedChar[] = [...text].map((char, c) => misread[`${l}:${c}`] ?? { char, confidence: 0.99 });
    return { text: chars.map((c) => c.char).join(''), confidence: Math.min(...chars.map((c) => c.confidence)), chars };
  });
}

/** The repair of a zone whose check digits fail as read; the test fails unless it is repaired. */
function repairInvalid(bad: RecognizedLine[]) {
  expect(
    parseMrz(
      bad.map((l) => l.text),
      { today },
    ).valid,
  ).toBe(false);
  const r = repairMrzFromAlternatives(bad, { today });
  if (r.status !== 'repaired') throw new Error(`not repaired: ${JSON.stringify(r)}`);
  return r;
}

/** A seeded linear congruential generator, 0–1. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

/** A valid Vietnamese zone of a random holder (number, sex, dates by the card's rules). */
function randomZone(rnd: () => number) {
  const year = 1950 + Math.floor(rnd() * 60);
  const sex = rnd() < 0.5 ? 'M' : 'F';
  const century = (year >= 2000 ? 2 : 0) + (sex === 'F' ? 1 : 0);
  const serial = String(Math.floor(rnd() * 1e6)).padStart(6, '0');
  const personalNumber = `0${String(1 + Math.floor(rnd() * 90)).padStart(2, '0')}${century}${String(year % 100).padStart(2, '0')}${serial}`;
  return formatVietnamTd1Mrz({
    personalNumber,
    fullName: 'Nguyễn Văn An',
    dateOfBirth: { year, month: 1 + Math.floor(rnd() * 12), day: 1 + Math.floor(rnd() * 28) },
    sex,
    expiryDate: { year: year + 40 + Math.floor(rnd() * 20), month: 6, day: 9 },
  });
}

describe('repairMrzFromAlternatives', () => {
  it('the zone read right stays as it is (nothing to change)', () => {
    expect(parseMrz(truth, { today }).valid).toBe(true);
    const r = repairMrzFromAlternatives(read(truth), { today });
    expect(r.status).toBe('repaired');
    if (r.status === 'repaired') expect(r.changes).toEqual([]);
  });

  it('two personal-number digits misread, the document number read right: the linked reading settles them', () => {
    // 001093047064 read 001095847064: two digits wrong, both its check digits and the composite fail
    const bad = read(truth, {
      '0:20': { char: '5', confidence: 0.7, alternatives: [{ char: '3', confidence: 0.2 }] },
      '0:21': { char: '8', confidence: 0.8 },
    });
    const r = repairInvalid(bad);
    expect(r.mrz.lines).toEqual(truth);
    expect(r.mrz.personalNumber).toBe('001093047064');
    expect(r.changes.map((c) => `${c.line}:${c.column} ${c.from}→${c.to}`)).toEqual(['0:20 5→3', '0:21 8→0']);
  });

  it('the same digit misread in both numbers: taken from the alternatives when every check and rule then hold', () => {
    // the 4th digit of the shared tail (0 of 093047064) read 6 in both places, 0 the second choice
    const bad = read(truth, {
      '0:8': { char: '6', confidence: 0.6, alternatives: [{ char: '0', confidence: 0.35 }] },
      '0:21': { char: '6', confidence: 0.55, alternatives: [{ char: '0', confidence: 0.4 }] },
    });
    const r = repairMrzFromAlternatives(bad, { today });
    expect(r.status).toBe('repaired');
    if (r.status === 'repaired') expect(r.mrz.lines).toEqual(truth);
  });

  it('a misread check digit whose right value the recogniser weighed a little', () => {
    const bad = read(truth, {
      '1:29': { char: '3', confidence: 0.93, alternatives: [{ char: '8', confidence: 0.04 }] },
    });
    expect(repairInvalid(bad).mrz.lines[1]).toBe(truth[1]);
  });

  it("the birth year's digits are read three times: a misread one on line 2 follows the personal number", () => {
    // 93 read 98 on line 2 (date of birth), the number's digits 5-6 say 93: the year's check digit fails
    const bad = read(truth, { '1:1': { char: '8', confidence: 0.7, alternatives: [{ char: '3', confidence: 0.25 }] } });
    expect(repairInvalid(bad).mrz.dateOfBirthRaw).toBe('930105');
  });

  it("line 2's Vietnamese tail (VNM, 11 fillers) read wrong and a character short: put back where the composite check confirms it", () => {
    // '9301054M3301052VNM<<<<<<<<<<<8' read '9301054M330105200<<<<<<<<<<<8' (29 characters): VNM lost
    const short = '9301054M330105200<<<<<<<<<<<8';
    const bad = read([truth[0] as string, short, truth[2] as string]);
    const r = repairInvalid(bad);
    expect(r.mrz.lines).toEqual(truth);
    expect(r.changes).toEqual([{ line: 1, column: 15, from: '00<<<<<<<<<<<', to: 'VNM<<<<<<<<<<<' }]);
    // the composite check digit read wrong as well, with no second choice: nothing confirms the tail
    const worse = read([truth[0] as string, '9301054M330105200<<<<<<<<<<<3', truth[2] as string]);
    expect(repairMrzFromAlternatives(worse, { today }).status).not.toBe('repaired');
    // a zone of another state keeps its tail as read
    const other = read(['IDFRA0930470641001093047064<<2', short, truth[2] as string]);
    expect(repairMrzFromAlternatives(other, { today }).status).not.toBe('repaired');
  });

  it('two zones pass (two changes of the expiry that hold both its check and the composite): nothing is repaired', () => {
    // expiry 330105 read 330205 (month digit doubtful, 1 its second choice); its day digit 5 doubtful with 8 second:
    // 330105 and 330208 both make the expiry and composite check digits hold (weights 7+3 and 1+9 cancel)
    const bad = read(truth, {
      '1:11': { char: '2', confidence: 0.6, alternatives: [{ char: '1', confidence: 0.35 }] },
      '1:13': { char: '5', confidence: 0.6, alternatives: [{ char: '8', confidence: 0.35 }] },
    });
    expect(parseMrz([truth[0] as string, '9301054M3302082VNM<<<<<<<<<<<8', truth[2] as string], { today }).valid).toBe(
      true,
    );
    const r = repairMrzFromAlternatives(bad, { today });
    expect(r.status).toBe('ambiguous');
  });

  it('the right digit among no reading of its position: no repair (the zone stays invalid)', () => {
    const bad = read(truth, { '1:3': { char: '7', confidence: 0.6, alternatives: [{ char: '9', confidence: 0.3 }] } });
    const r = repairMrzFromAlternatives(bad, { today });
    expect(r.status).not.toBe('repaired');
  });

  it('a doubtful digit the only passing change leaves as read is not trusted (it may be a compensated misread)', () => {
    // the expiry's day digit doubtful but read right, the composite check digit misread with the right value second
    const bad = read(truth, {
      '1:13': { char: '5', confidence: 0.6 },
      '1:29': { char: '3', confidence: 0.7, alternatives: [{ char: '8', confidence: 0.25 }] },
    });
    const r = repairMrzFromAlternatives(bad, { today });
    expect(r).toEqual({ status: 'failed', reason: 'a doubtful character stays as read' });
  });

  it('the century/sex digit must agree with the sex: a change that breaks it is not a repair', () => {
    // sex read F (second choice M), the number's century digit 1 would say female 1900s but reads 0 (male)
    const bad = read(truth, { '1:7': { char: 'F', confidence: 0.6, alternatives: [{ char: 'M', confidence: 0.39 }] } });
    expect(repairInvalid(bad).mrz.sex).toBe('M');
  });

  it('repairs generated zones with one or two misread digits whose right value is a second choice, and never returns a wrong zone', () => {
    const rnd = lcg(5);
    const positions: [number, number][] = [];
    for (let c = 5; c < 30; c++) if (c !== 27 && c !== 28) positions.push([0, c]);
    for (let c = 0; c < 15; c++) if (c !== 7) positions.push([1, c]);
    let right = 0;
    for (let t = 0; t < 150; t++) {
      const zone = randomZone(rnd);
      const misread: Misread = {};
      const n = 1 + (t % 2);
      while (Object.keys(misread).length < n) {
        const [l, c] = positions[Math.floor(rnd() * positions.length)] as [number, number];
        const was = (zone[l] as string)[c] as string;
        const wrong = String((Number(was) + 1 + Math.floor(rnd() * 9)) % 10);
        misread[`${l}:${c}`] = {
          char: wrong,
          confidence: 0.5 + 0.4 * rnd(),
          alternatives: [{ char: was, confidence: 0.05 + 0.3 * rnd() }],
        };
      }
      const bad = read(zone, misread);
      const asRead = parseMrz(
        bad.map((l) => l.text),
        { today },
      );
      if (asRead.valid) continue;
      const r = repairMrzFromAlternatives(bad, { today });
      if (r.status === 'repaired') {
        expect(r.mrz.lines).toEqual(zone);
        right++;
      }
    }
    expect(right).toBeGreaterThan(120);
  });

  it('hostile or garbage input gives a reason, never a throw or a repaired zone', () => {
    const garbage: unknown[] = [
      [],
      [truth[0]],
      read(['IDVNM093047064', truth[1] as string, truth[2] as string]),
      read([truth[0] as string, truth[1] as string, 'X'.repeat(200)]),
      read(['💥'.repeat(30), truth[1] as string, truth[2] as string]),
      [{ text: 'x', confidence: Number.NaN, chars: 'not an array' }, null, undefined],
      read(['<'.repeat(30), '<'.repeat(30), '<'.repeat(30)]),
      read(['Z'.repeat(30), 'Z'.repeat(30), 'Z'.repeat(30)]),
    ];
    for (const g of garbage) {
      const r = repairMrzFromAlternatives(g as RecognizedLine[], { today });
      expect(r.status).not.toBe('repaired');
    }
    // NaN and out-of-range weights, odd alternatives
    const odd = read(truth, {
      '0:20': {
        char: '5',
        confidence: Number.NaN,
        alternatives: [
          { char: '3', confidence: Number.POSITIVE_INFINITY },
          { char: 'ab', confidence: 0.5 },
          null as unknown as RecognizedChar,
        ],
      },
    });
    expect(() => repairMrzFromAlternatives(odd, { today })).not.toThrow();
  });

  it('every digit doubtful with several second choices: gives up within its search budget', () => {
    const alts = ['1', '2', '3'].map((char) => ({ char, confidence: 0.2 }));
    const misread: Misread = {};
    for (let c = 5; c < 27; c++) misread[`0:${c}`] = { char: '7', confidence: 0.3, alternatives: alts };
    for (let c = 0; c < 15; c++) if (c !== 7) misread[`1:${c}`] = { char: '7', confidence: 0.3, alternatives: alts };
    const t0 = performance.now();
    const r = repairMrzFromAlternatives(read(truth, misread), { today });
    expect(r.status).not.toBe('repaired');
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

/** A line of `text` at 0.99 with `extra` characters ("index" → char, confidence) inserted before the index. */
function withStray(text: string, extra: Record<number, Pick<RecognizedChar, 'char' | 'confidence' | 'alternatives'>>) {
  const chars: RecognizedChar[] = [];
  [...text].forEach((char, i) => {
    const e = extra[i];
    if (e) chars.push(e);
    chars.push({ char, confidence: 0.99 });
  });
  return { text: chars.map((c) => c.char).join(''), confidence: Math.min(...chars.map((c) => c.confidence)), chars };
}

describe('repairMrzFromAlternatives: a Vietnamese card', () => {
  it('a document code read 1D is ID (its letter look-alike), not a second choice of another letter', () => {
    const bad = read(truth, {
      '0:0': { char: '1', confidence: 0.65, alternatives: [{ char: 'J', confidence: 0.03 }] },
      '0:14': { char: '9', confidence: 0.6, alternatives: [{ char: '1', confidence: 0.3 }] },
    });
    expect(repairInvalid(bad).mrz.lines).toEqual(truth);
  });

  it('vietnam: line 1 whose start glare read as stray characters is IDVNM and its last 25 characters', () => {
    // `IDVNM` read `2O2TNM` (31 characters), the document number's check digit misread too
    const line1 = withStray(`2O2TNM${(truth[0] as string).slice(5, 14)}7${(truth[0] as string).slice(15)}`, {});
    const bad = [line1, ...read(truth.slice(1))];
    expect(repairMrzFromAlternatives(bad, { today }).status).toBe('failed');
    line1.chars[15] = { char: '7', confidence: 0.6, alternatives: [{ char: '1', confidence: 0.3 }] };
    const r = repairMrzFromAlternatives(bad, { today, vietnam: true });
    if (r.status !== 'repaired') throw new Error(JSON.stringify(r));
    expect(r.mrz.lines).toEqual(truth);
    expect(r.changes[0]).toEqual({ line: 0, column: 0, from: '2O2TNM', to: 'IDVNM' });
  });
});

describe('repairMrzFromReadings', () => {
  it('a line 1 read a character long: the doubtful stray character is dropped, the linked numbers confirm it', () => {
    const line1 = withStray(truth[0] as string, {
      20: { char: '4', confidence: 0.3, alternatives: [{ char: '1', confidence: 0.2 }] },
    });
    const r = repairMrzFromReadings([[line1, ...read(truth.slice(1))]], { today, vietnam: true });
    if (r.status !== 'repaired') throw new Error(JSON.stringify(r));
    expect(r.mrz.lines).toEqual(truth);
    expect(r.changes).toEqual([{ line: 0, column: 20, from: '4', to: '' }]);
    // the stray character read sure of itself is not dropped
    const sure = withStray(truth[0] as string, { 20: { char: '4', confidence: 0.99 } });
    expect(repairMrzFromReadings([[sure, ...read(truth.slice(1))]], { today, vietnam: true }).status).not.toBe(
      'repaired',
    );
  });

  it("a line 2 read a character short: the unread character put back where the date's check digit and the linked birth year confirm it", () => {
    // 9301054M… read 931054M… (the 0 of the month lost)
    const line2 = read([(truth[1] as string).slice(0, 2) + (truth[1] as string).slice(3)])[0] as RecognizedLine;
    const r = repairMrzFromReadings([[...read(truth.slice(0, 1)), line2, ...read(truth.slice(2))]], {
      today,
      vietnam: true,
    });
    if (r.status !== 'repaired') throw new Error(JSON.stringify(r));
    expect(r.mrz.lines).toEqual(truth);
  });

  it('a reading that settles one zone is taken when the other reading passes it too, refused when the other settles another', () => {
    // reading A: the expiry's month and day doubtful (two zones pass: see above); reading B: the month read right
    const a = read(truth, {
      '1:11': { char: '2', confidence: 0.6, alternatives: [{ char: '1', confidence: 0.35 }] },
      '1:13': { char: '5', confidence: 0.6, alternatives: [{ char: '8', confidence: 0.35 }] },
    });
    expect(repairMrzFromReadings([a], { today }).status).toBe('ambiguous');
    const b = read(truth, { '1:13': { char: '3', confidence: 0.6, alternatives: [{ char: '5', confidence: 0.35 }] } });
    const r = repairMrzFromReadings([a, b], { today });
    if (r.status !== 'repaired') throw new Error(JSON.stringify(r));
    expect(r.mrz.lines).toEqual(truth);
    // a reading that settles a zone the other does not pass: refused
    const other = read(['IDVNM0930470641001093047064<<2', '9301054M3302082VNM<<<<<<<<<<<8', truth[2] as string], {
      '1:13': { char: '3', confidence: 0.6, alternatives: [{ char: '8', confidence: 0.35 }] },
    });
    expect(repairMrzFromReadings([other, b], { today }).status).toBe('ambiguous');
  });

  it("two readings of a line 1 read 31 characters under glare (a generated tuning back): the one alignment's likeliest zone, others of it far less likely", () => {
    type Over = Record<number, Pick<RecognizedChar, 'char' | 'confidence' | 'alternatives'>>;
    const line = (text: string, over: Over = {}): RecognizedLine => {
      const chars = [...text].map((char, i) => over[i] ?? { char, confidence: 0.99 });
      return { text, confidence: Math.min(...chars.map((c) => c.confidence)), chars };
    };
    const zone = ['IDVNM0912545408019091254540<<0', '9105067M3105065VNM<<<<<<<<<<<6', 'HOANG<<HONG<LINH<<<<<<<<<<<<<<'];
    const alts = (...a: [string, number][]) => a.map(([char, confidence]) => ({ char, confidence }));
    const first = line('IDVNM0912545408019091252424O<<0', {
      23: { char: '2', confidence: 0.42, alternatives: alts(['4', 0.29], ['3', 0.11], ['1', 0.09]) },
      24: { char: '4', confidence: 0.17, alternatives: alts(['2', 0.06], ['5', 0.06], ['8', 0.04]) },
      25: { char: '2', confidence: 0.43, alternatives: alts(['1', 0.02], ['<', 0.02], ['0', 0.02]) },
      26: { char: '4', confidence: 0.62, alternatives: alts(['1', 0.14], ['3', 0.1], ['2', 0.03]) },
      27: { char: 'O', confidence: 0.81, alternatives: alts(['0', 0.18]) },
    });
    const again = line('IDVNM09125454080190912542240<<0', {
      23: { char: '4', confidence: 0.27, alternatives: alts(['3', 0.2], ['0', 0.16], ['2', 0.14]) },
      24: { char: '2', confidence: 0.68, alternatives: alts(['3', 0.03]) },
      25: { char: '2', confidence: 0.32, alternatives: alts(['5', 0.08], ['C', 0.03], ['0', 0.02]) },
      26: { char: '4', confidence: 0.29, alternatives: alts(['3', 0.15], ['1', 0.07], ['2', 0.02]) },
      27: { char: '0', confidence: 0.59, alternatives: alts(['O', 0.39]) },
    });
    const rest = [line(zone[1] as string), line(zone[2] as string)];
    const r = repairMrzFromReadings(
      [
        [first, ...rest],
        [again, ...rest],
      ],
      { today, vietnam: true },
    );
    if (r.status !== 'repaired') throw new Error(JSON.stringify(r));
    expect(r.mrz.lines).toEqual(zone);
  });

  it('simulated readings (misread digits, a stray or lost character, two readings): never a wrong zone', () => {
    const rnd = lcg(11);
    let right = 0;
    let wrong = 0;
    let tried = 0;
    for (let t = 0; t < 120; t++) {
      const zone = randomZone(rnd);
      const readings = [0, 1].map(() => {
        const lines = read(zone).map((l) => ({ ...l, chars: [...l.chars] }));
        for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
          const l = Math.floor(rnd() * 2);
          const chars = (lines[l] as RecognizedLine).chars;
          const c = Math.floor(rnd() * chars.length);
          const was = (chars[c] as RecognizedChar).char;
          const digit = String(Math.floor(rnd() * 10));
          const kind = rnd();
          if (kind < 0.6)
            chars[c] = {
              char: digit,
              confidence: 0.3 + 0.6 * rnd(),
              alternatives: rnd() < 0.7 ? [{ char: was, confidence: 0.05 + 0.3 * rnd() }] : [],
            };
          else if (kind < 0.85) chars.splice(c, 0, { char: digit, confidence: 0.2 + 0.75 * rnd() });
          else chars.splice(c, 1);
        }
        return lines.map((l) => ({ ...l, text: l.chars.map((c) => c.char).join('') }));
      });
      if (readings.some((r) => parseMrz(r.map((l) => l.text).join('\n'), { today, repair: false }).valid)) continue;
      tried++;
      const r = repairMrzFromReadings(readings, { today, vietnam: true });
      if (r.status !== 'repaired') continue;
      if (r.mrz.lines.join('\n') === zone.join('\n')) right++;
      else wrong++;
    }
    expect(wrong).toBe(0);
    expect(right).toBeGreaterThan(tried / 3);
  });
});

describe('nameLineConfidence', () => {
  it("the best reading's lowest character up to the name's last letter, of the readings that read the zone's name", () => {
    const sure = read(truth);
    const doubted = read(truth, { '2:1': { char: 'N', confidence: 0.24 }, '2:25': { char: '<', confidence: 0.3 } });
    // a doubted letter counts, a doubted filler after the name does not
    expect(nameLineConfidence([doubted], truth[2] as string)).toBe(0.24);
    expect(nameLineConfidence([doubted, sure], truth[2] as string)).toBe(0.99);
    // no reading reads this name: nothing vouches for it
    expect(nameLineConfidence([sure], 'UNG<<HOANG<HIEN'.padEnd(30, '<'))).toBe(0);
    const filler = read(truth, { '2:25': { char: '<', confidence: 0.3 } });
    expect(nameLineConfidence([filler], truth[2] as string)).toBe(0.99);
  });
});
