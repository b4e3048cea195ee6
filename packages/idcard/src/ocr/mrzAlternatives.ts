import {
  MRZ_DIGIT_LOOKALIKES,
  type MrzCharClass,
  mrzCheckDigit,
  type ParsedMrz,
  type ParseMrzOptions,
  safeParseMrz,
  TD1_LINE_LENGTH,
  td1Checks,
  td1Fields,
  td1VietnamClasses,
} from '@smart-citizen/core';
import type { RecognizedChar, RecognizedLine } from './ctcDecode.js';
import { LETTER_FOR_DIGIT } from './mrzLookalikes.js';

/** One MRZ character changed by {@link repairMrzFromAlternatives}. */
export interface MrzAlternativeChange {
  line: number;
  column: number;
  from: string;
  to: string;
}

/** Outcome of {@link repairMrzFromAlternatives}. */
export type MrzAlternativesResult =
  | { status: 'repaired'; mrz: ParsedMrz; changes: MrzAlternativeChange[] }
  /** Two or more zones of the fewest changes pass every rule: nothing is changed. */
  | { status: 'ambiguous'; candidates: number }
  /** No zone within the search passes, or the lines cannot be searched (length, characters, size). */
  | { status: 'failed'; reason: string };

/** Options of {@link repairMrzFromAlternatives}. */
export interface MrzAlternativesOptions extends Pick<ParseMrzOptions, 'today'> {
  /**
   * The zone is a Vietnamese card's (the card's type says so: CCCD 2021, Căn cước 2024): line 1
   * starts `IDVNM` whatever was read there, and a line 1 read too long or short is taken as `IDVNM`
   * and its last 25 characters (glare or a smudge over the start of the line reads as stray
   * characters). @default false: only a zone read with `VNM` in line 1 is taken as Vietnamese
   */
  vietnam?: boolean;
  /** Most characters changed from the likeliest reading of each position. @default 3 */
  maxChanges?: number;
  /** Zones checked at most before giving up (a line read to noise has too many doubts to confirm). @default 20000 */
  maxCandidates?: number;
}

/** Weight of a character the recogniser gave no weight to (it can still win where a linked position reads it). */
const UNSEEN = 1e-3;
/** Stands for a character the recogniser dropped, put back by {@link lengthVariants}. */
const UNREAD = '\u0000';
/** Every character an MRZ holds. */
const MRZ_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<';
/** Line 1's first 5 characters on a Vietnamese card: document code and issuing state. */
const VN_LINE1_HEAD = 'IDVNM';
/** Line 2 from column 16 to 29 on a Vietnamese card: nationality and 11 fillers (before the composite check digit). */
const VN_LINE2_TAIL = `VNM${'<'.repeat(11)}`;
/** A character read below this confidence, that no linked reading confirms, is doubtful. */
const DOUBTFUL = 0.9;
/**
 * The repaired zone's likelihood under the recogniser's weights (the product over changed
 * characters of new weight / old weight) must be at least this share of the reading's.
 */
const MIN_RATIO = 0.01;
/**
 * Over several readings, another zone of the same alignment counts against the likeliest only when at
 * least this share as likely (far stricter than {@link MIN_RATIO} across alignments: two misreads
 * of one line can compensate in its check digits).
 */
const RIVAL_RATIO = 1e-4;
/** Why a search stopped before trying a zone: its likeliest reading is below the floor it was given. */
const BELOW_FLOOR = 'less likely than a zone found already';
/** Why a search gave up: more zones to try than `maxCandidates`. */
const TOO_MANY = 'too many doubtful characters';
/** OCR-B look-alikes a digit position takes as that digit (as core's parser does). */
const TO_DIGIT = MRZ_DIGIT_LOOKALIKES;
/** OCR-B look-alikes a letter position takes as that letter (`1DVNM` is `IDVNM`, not a second choice `JD`). */
const TO_LETTER = LETTER_FOR_DIGIT;

/**
 * Positions a valid Vietnamese TD1 zone holds the same character at, beyond what the check digits
 * cover: the document number is the personal number's last 9 digits (line 1 columns 5–13 =
 * columns 18–26), and the personal number's 5th and 6th digits are the birth year's last two,
 * which line 2 starts with (line 1 columns 19–20 = line 2 columns 0–1). The century/sex digit
 * (personal number digit 4) is checked against the sex and the birth date by core's ID-number
 * rules when a candidate is parsed.
 */
function linkedPositions(): [number, number][][] {
  const groups: [number, number][][] = [];
  for (let j = 0; j < 9; j++) {
    const g: [number, number][] = [
      [0, 5 + j],
      [0, 18 + j],
    ];
    if (j === 1 || j === 2) g.push([1, j - 1]);
    groups.push(g);
  }
  return groups;
}

/**
 * Digit positions a check digit covers, and the sex (which the personal number's century digit
 * covers). Letters are not searched: a filler read where a letter could stand (optional data 2)
 * changes no check digit when the letter is A, K or U (values 10, 20, 30), so no check confirms it.
 */
function searchable(line: number, col: number): boolean {
  if (line === 1 && col === 7) return true;
  if (classAt(line, col) !== 'digit') return false;
  return td1Checks.some(
    (spec) =>
      (spec.at[0] === line && spec.at[1] === col) || spec.ranges.some(([l, s, e]) => l === line && s <= col && col < e),
  );
}

function classAt(line: number, col: number): MrzCharClass {
  const vn = td1VietnamClasses[`${line}:${col}`];
  if (vn) return vn;
  const f = td1Fields.find((x) => x.line === line && col >= x.start && col < x.start + x.length);
  return f?.charClass ?? 'alnum';
}

/** Characters a position of a Vietnamese zone may take: digits where digits are printed, `<` only where a filler can stand. */
function allowed(ch: string, cls: MrzCharClass, line: number, col: number): boolean {
  const digit = ch >= '0' && ch <= '9';
  const alpha = ch >= 'A' && ch <= 'Z';
  // an expiry of six fillers is a card that does not expire
  if (ch === '<') return cls !== 'digit' || (line === 1 && col >= 8 && col < 14);
  if (cls === 'digit') return digit;
  if (cls === 'alpha') return alpha;
  if (cls === 'alnum') return digit || alpha;
  return false;
}

/** The recogniser's weight for each character a position could hold (the read one, its alternatives, a digit look-alike). */
function positionWeights(c: RecognizedChar, line: number, col: number): Map<string, number> {
  const cls = classAt(line, col);
  const w = new Map<string, number>();
  const add = (ch: string, p: number) => {
    const to = cls === 'digit' ? (TO_DIGIT[ch] ?? ch) : cls === 'alpha' ? (TO_LETTER[ch] ?? ch) : ch;
    if (!allowed(to, cls, line, col)) return;
    const q = Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
    w.set(to, Math.max(w.get(to) ?? 0, q));
  };
  if (c.char === UNREAD) {
    // a character the recogniser dropped (a line read one short): any character allowed there, none likelier
    for (const ch of MRZ_CHARS) add(ch, UNSEEN);
    return w;
  }
  add(c.char, c.confidence);
  for (const a of c.alternatives ?? []) if (typeof a?.char === 'string') add(a.char, a.confidence);
  return w;
}

interface Variable {
  positions: [number, number][];
  /** The best weight any reading of the variable's positions gives each candidate character. */
  weight: (ch: string) => number;
  /** A digit a check digit covers, or the sex. */
  searched: boolean;
  /** The product of every reading's weight for the character: how likely the readings make it. */
  score: (ch: string) => number;
  /** Candidate characters, likeliest first. */
  values: string[];
}

/**
 * Repair the MRZ of a Vietnamese card (TD1) from the recogniser's own second choices: where the
 * check digits fail, doubtful characters (those read with alternatives) may take one of their
 * alternatives, and a candidate zone is accepted only when every check digit holds, the document
 * number is the personal number's last 9 digits, the personal number's century/sex digit and
 * birth-year digits agree with the date of birth and the sex (core's `parseMrz` rules), and it is
 * the **only** zone that does with as few changes. Positions the Vietnamese zone repeats (the 9
 * digits shared by the document and personal numbers, the birth year's two digits read a third
 * time on line 2) are decided together: each takes the character the readings of all its
 * positions make likeliest, so one clear reading settles a doubtful one.
 *
 * Lines 1 and 2 must have been read at exactly 30 characters (a character's alternatives only
 * line up with its column then), but for a Vietnamese zone's line 1 head and line 2 tail, which
 * are put back; {@link repairMrzFromReadings} tries the ways to align other lengths. Nothing here
 * uses a printed field or a QR: those repairs are `repairMrzFromSources`'s.
 *
 * @param lines - The three MRZ lines as read (spaces removed), with per-character alternatives.
 * @param options - {@link MrzAlternativesOptions}.
 * @returns The repaired zone and its changes, or why nothing was changed.
 */
export function repairMrzFromAlternatives(
  lines: readonly RecognizedLine[],
  options: MrzAlternativesOptions = {},
): MrzAlternativesResult {
  return searchZones(lines, options).result;
}

/** A search's outcome and every zone it found passing, with its log-likelihood under the readings' weights. */
interface ZoneSearch {
  result: MrzAlternativesResult;
  /** Zone (lines joined by newlines) → natural log of the product of its characters' weights; at most 8. */
  passing: Map<string, number>;
  /** More zones passed than `passing` lists, or the search gave up before trying every zone. */
  incomplete: boolean;
  /** The log-likelihood of the likeliest reading: no zone of the search is likelier (−∞: not searchable). */
  bound: number;
}

/**
 * The search of {@link repairMrzFromAlternatives}, with every zone it passes; a search whose likeliest
 * reading is less likely than `floor` (log) stops before trying any zone (it cannot pass one as likely).
 */
function searchZones(
  lines: readonly RecognizedLine[],
  options: MrzAlternativesOptions,
  floor = -Infinity,
  separation?: number,
): ZoneSearch {
  const passingZones = new Map<string, number>();
  let bound = -Infinity;
  const done = (result: MrzAlternativesResult, incomplete = false): ZoneSearch => ({
    result,
    passing: passingZones,
    incomplete,
    bound,
  });
  const maxChanges = Math.max(0, Math.min(4, Math.floor(options.maxChanges ?? 3)));
  const maxCandidates = Math.max(1, options.maxCandidates ?? 20_000);
  if (!Array.isArray(lines) || lines.length !== 3) return done({ status: 'failed', reason: 'not three lines' });
  const rows: RecognizedChar[][] = [];
  for (const l of lines) {
    const raw: unknown = l?.chars;
    const chars = Array.isArray(raw) ? (raw as RecognizedChar[]) : [];
    rows.push(chars.filter((c) => typeof c?.char === 'string' && c.char.length === 1 && c.char !== ' '));
  }
  // a Vietnamese card's line 1 starts IDVNM and holds 25 characters after it (numbers, fillers,
  // the check digit): a start read wrong, or a line 1 read a character or two short or long there,
  // is put back from its last 25; the check digits over the numbers then confirm it
  let headRebuilt: MrzAlternativeChange | undefined;
  const first = rows[0] as RecognizedChar[];
  if (options.vietnam === true && first.length >= 26 && first.length <= 40) {
    const head = first
      .slice(0, -25)
      .map((c) => c.char)
      .join('');
    if (head !== VN_LINE1_HEAD) {
      rows[0] = [...[...VN_LINE1_HEAD].map((char) => ({ char, confidence: 1 })), ...first.slice(-25)];
      headRebuilt = { line: 0, column: 0, from: head, to: VN_LINE1_HEAD };
    }
  }
  if (rows[0]?.length !== TD1_LINE_LENGTH) return done({ status: 'failed', reason: 'line 1 is not 30 characters' });
  // a Vietnamese card's line 2 ends alike on every card: nationality VNM, optional data 2 empty (11
  // fillers), the composite check digit. A tail misread or read a character short or long is put
  // back from its first 15 characters and its last one; the composite check digit then confirms it
  let tailRebuilt: MrzAlternativeChange | undefined;
  const second = rows[1] ?? [];
  const vietnam =
    options.vietnam === true ||
    (rows[0] as RecognizedChar[])
      .slice(2, 5)
      .map((c) => c.char)
      .join('') === 'VNM';
  if (vietnam && second.length >= 20 && second.length <= 40) {
    const tail = second
      .slice(15, -1)
      .map((c) => c.char)
      .join('');
    if (tail !== VN_LINE2_TAIL || second.length !== TD1_LINE_LENGTH) {
      rows[1] = [
        ...second.slice(0, 15),
        ...[...VN_LINE2_TAIL].map((char) => ({ char, confidence: 1 })),
        second[second.length - 1] as RecognizedChar,
      ];
      tailRebuilt = { line: 1, column: 15, from: tail, to: VN_LINE2_TAIL };
    }
  }
  if (rows[1]?.length !== TD1_LINE_LENGTH) return done({ status: 'failed', reason: 'line 2 is not 30 characters' });
  // the name line (no check digit covers it) as the parser's line-length repair takes it: fillers added or dropped at its end
  let third = (rows[2] ?? []).map((c) => c.char).join('');
  if (third.length > TD1_LINE_LENGTH && /^<+$/.test(third.slice(TD1_LINE_LENGTH)))
    third = third.slice(0, TD1_LINE_LENGTH);
  if (third.length > TD1_LINE_LENGTH || third.length < TD1_LINE_LENGTH - 2)
    return done({ status: 'failed', reason: 'line 3 is not about 30 characters' });
  third = third.padEnd(TD1_LINE_LENGTH, '<');
  // every position of lines 1–2 is a variable; linked positions are one variable
  const owner = new Map<string, number>();
  const groups: [number, number][][] = linkedPositions();
  groups.forEach((g, i) => {
    for (const [l, c] of g) owner.set(`${l}:${c}`, i);
  });
  for (let l = 0; l < 2; l++)
    for (let c = 0; c < TD1_LINE_LENGTH; c++)
      if (!owner.has(`${l}:${c}`)) {
        owner.set(`${l}:${c}`, groups.length);
        groups.push([[l, c]]);
      }
  const vars: Variable[] = [];
  for (const positions of groups) {
    const [l0, c0] = positions[0] as [number, number];
    if (classAt(l0, c0) === 'filler') {
      vars.push({ positions, values: ['<'], searched: false, weight: () => 1, score: () => 1 });
      continue;
    }
    const weights = positions.map(([l, c]) => positionWeights(rows[l]?.[c] as RecognizedChar, l, c));
    const chars = new Set(weights.flatMap((w) => [...w.keys()]));
    // a character no reading of the position allows there (a letter in a digit field with no digit alternative)
    if (chars.size === 0) return done({ status: 'failed', reason: 'a position has no allowed reading' });
    const score = (ch: string) => weights.reduce((p, w) => p * (w.get(ch) ?? UNSEEN), 1);
    const values = [...chars].sort((a, b) => score(b) - score(a));
    // positions no check digit covers (document code, issuing state, nationality) keep their likeliest reading
    vars.push({
      positions,
      values: searchable(l0, c0) ? values : values.slice(0, 1),
      searched: searchable(l0, c0),
      weight: (ch) => Math.max(...weights.map((w) => w.get(ch) ?? 0)),
      score,
    });
  }
  const grid = [0, 1].map((l) => Array.from({ length: TD1_LINE_LENGTH }, (_, c) => rows[l]?.[c]?.char ?? '<'));
  const setVar = (v: Variable, ch: string) => {
    for (const [l, c] of v.positions) (grid[l] as string[])[c] = ch;
  };
  for (const v of vars) setVar(v, v.values[0] as string);
  const doubtful = vars.filter((v) => v.values.length > 1);
  const checksHold = () =>
    td1Checks.every((spec) => {
      const data = spec.ranges.map(([l, s, e]) => (grid[l] as string[]).slice(s, e).join('')).join('');
      return String(mrzCheckDigit(data)) === (grid[spec.at[0]] as string[])[spec.at[1]];
    });
  const parse = () =>
    safeParseMrz([(grid[0] as string[]).join(''), (grid[1] as string[]).join(''), third], {
      repair: false,
      ...(options.today ? { today: options.today } : {}),
    });
  // every zone within maxChanges of the likeliest reading is tried: a repair is taken only when it is
  // the one zone that passes (two passing zones, even of different sizes, leave the zone unrepaired)
  let tried = 0;
  let winner: { mrz: ParsedMrz; choice: [Variable, string][]; log: number } | undefined;
  let passing = 0;
  // the log-likelihood of the likeliest reading of every variable; a choice changes it by its ratio
  const baseLog = vars.reduce((a, v) => a + Math.log(v.score(v.values[0] as string)), 0);
  bound = baseLog;
  if (baseLog < floor) return done({ status: 'failed', reason: BELOW_FLOOR });
  const logRatio = (choice: [Variable, string][]) =>
    choice.reduce((a, [v, ch]) => a + Math.log(v.score(ch) / v.score(v.values[0] as string)), 0);
  for (let k = 0; k <= maxChanges && k <= doubtful.length; k++) {
    for (const subset of subsets(doubtful, k)) {
      for (const choice of choices(subset)) {
        if (++tried > maxCandidates) return done({ status: 'failed', reason: TOO_MANY }, true);
        for (const [v, ch] of choice) setVar(v, ch);
        if (checksHold()) {
          const p = parse();
          if (p.ok && p.value.valid) {
            passing++;
            const log = baseLog + logRatio(choice);
            if (passingZones.size < 8) passingZones.set(p.value.lines.join('\n'), log);
            // the likeliest passing zone (with `separation`; otherwise the only one)
            if (!winner || log > winner.log) winner = { mrz: p.value, choice: [...choice], log };
          }
        }
        for (const [v] of choice) setVar(v, v.values[0] as string);
      }
    }
  }
  if (passing > 1) {
    if (separation === undefined || passing > passingZones.size)
      return done({ status: 'ambiguous', candidates: passing }, passing > passingZones.size);
    // other zones of this alignment count only when about as likely as the likeliest
    const best = winner?.log ?? -Infinity;
    const rivals = [...passingZones.values()].filter((l) => l >= best + separation).length - 1;
    if (rivals > 0) return done({ status: 'ambiguous', candidates: rivals + 1 });
  }
  if (!winner) return done({ status: 'failed', reason: 'no zone within the search passes every rule' });
  // a doubtful digit the repair leaves as it was read may be a second misread that the change
  // compensates (two changes of one field can hold both its check digit and the composite one)
  // the recogniser's own weights must not make the repaired zone far less likely than the reading
  const ratio = winner.choice.reduce((r, [v, ch]) => r * (v.score(ch) / v.score(v.values[0] as string)), 1);
  if (!(ratio >= MIN_RATIO))
    return done({ status: 'failed', reason: 'the only passing zone is far less likely than the reading' });
  // a doubtful digit left as read that shares a check digit with a changed one may be a second
  // misread that the change compensates (two changes of one field can hold both its check digit
  // and the composite one): such a repair is not confirmed
  const chosen = new Map(winner.choice);
  const final = (v: Variable) => chosen.get(v) ?? (v.values[0] as string);
  const asRead = (v: Variable) => v.positions.every(([l, c]) => rows[l]?.[c]?.char === final(v));
  const checksOver = (v: Variable) =>
    new Set(
      td1Checks
        .filter((spec) =>
          v.positions.some(
            ([l, c]) =>
              (spec.at[0] === l && spec.at[1] === c) || spec.ranges.some(([rl, a, b]) => rl === l && a <= c && c < b),
          ),
        )
        .map((spec) => spec.name),
    );
  const changedChecks = new Set(vars.filter((v) => v.searched && !asRead(v)).flatMap((v) => [...checksOver(v)]));
  if (
    vars.some(
      (v) =>
        v.searched &&
        asRead(v) &&
        v.weight(final(v)) < DOUBTFUL &&
        [...checksOver(v)].some((k) => changedChecks.has(k)),
    )
  )
    return done({ status: 'failed', reason: 'a doubtful character stays as read' });
  for (const [v, ch] of winner.choice) setVar(v, ch);
  const changes: MrzAlternativeChange[] = [];
  for (let l = 0; l < 2; l++)
    for (let c = 0; c < TD1_LINE_LENGTH; c++) {
      const read = rows[l]?.[c]?.char ?? '';
      const from = read === UNREAD ? '' : read;
      const to = (grid[l] as string[])[c] as string;
      if (from !== to) changes.push({ line: l, column: c, from, to });
    }
  if (headRebuilt) changes.unshift(headRebuilt);
  if (tailRebuilt) changes.push(tailRebuilt);
  return done({ status: 'repaired', mrz: winner.mrz, changes });
}

function* subsets<T>(items: readonly T[], size: number, from = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++)
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i] as T, ...rest];
}

/** Every way to give each variable of `vars` one of its values other than its likeliest. */
function* choices(vars: readonly Variable[], i = 0): Generator<[Variable, string][]> {
  if (i === vars.length) {
    yield [];
    return;
  }
  const v = vars[i] as Variable;
  for (const ch of v.values.slice(1)) for (const rest of choices(vars, i + 1)) yield [[v, ch], ...rest];
}

/** Lines 1–2 read this many characters long at most are searched for the characters to drop (two at most). */
const MAX_DROPPED = 2;
/** Length variants of one reading searched at most (a line read to noise has too many doubts to confirm). */
const MAX_VARIANTS = 256;

/** A line's characters with `drop` (indices, ascending) left out. */
const without = (chars: readonly RecognizedChar[], drop: readonly number[]) =>
  chars.filter((_, i) => !drop.includes(i));

/** One way to read a line: as read, with characters dropped, or with an unread one put back. */
interface LengthVariant {
  chars: RecognizedChar[];
  /** The characters dropped: column as read, character and the recogniser's confidence in it. */
  dropped: { column: number; char: string; confidence: number }[];
}

/**
 * The ways to read a line of lines 1–2 read at other than 30 characters: the line as read (which a
 * Vietnamese zone's head and tail rebuilding may still align); read one or two too long, each
 * doubtful character (below {@link DOUBTFUL}) or character read twice in a row dropped — the
 * recogniser emits a stray character where glare or a smudge breaks a glyph, and a character twice
 * where it splits one; read one short, an unread character ({@link UNREAD}: any character, none
 * likelier) put back at each column. Distinct texts only.
 */
function lengthVariants(line: RecognizedLine): LengthVariant[] {
  const chars = (Array.isArray(line?.chars) ? line.chars : []).filter(
    (c) => typeof c?.char === 'string' && c.char.length === 1 && c.char !== ' ',
  );
  const extra = chars.length - TD1_LINE_LENGTH;
  const out: LengthVariant[] = [{ chars, dropped: [] }];
  if (extra === -1) {
    for (let i = 0; i <= chars.length; i++)
      // before a character equal to the one after it reads as the same line: put back once per run
      if (i === 0 || chars[i - 1]?.char !== chars[i]?.char || i === chars.length)
        out.push({
          chars: [...chars.slice(0, i), { char: UNREAD, confidence: 0 }, ...chars.slice(i)],
          dropped: [],
        });
    return out;
  }
  if (extra < 1 || extra > MAX_DROPPED) return out;
  const droppable = chars.flatMap((c, i) =>
    !(c.confidence >= DOUBTFUL) || chars[i - 1]?.char === c.char || chars[i + 1]?.char === c.char ? [i] : [],
  );
  const seen = new Set<string>();
  for (const drop of subsets(droppable, extra)) {
    const kept = without(chars, drop);
    const text = kept.map((c) => c.char).join('');
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({
      chars: kept,
      dropped: drop.map((column) => {
        const c = chars[column] as RecognizedChar;
        return { column, char: c.char, confidence: Number.isFinite(c.confidence) ? c.confidence : 0 };
      }),
    });
  }
  return out;
}

/**
 * {@link repairMrzFromAlternatives} over several readings of one zone (the layout's line boxes, the
 * lines found again in the zone, …), and over each way to read a line of lines 1–2 read at other than
 * 30 characters ({@link lengthVariants}: a doubtful character or one emitted twice dropped, an unread
 * one put back). Each search weighs its passing zones by the recogniser's weights (a zone from a
 * misaligned line pairs the linked numbers' digits wrongly, each pair a character no reading gave).
 * A reading **settles** a zone when no other zone it passes, in any of its ways, is within
 * {@link MIN_RATIO} of it as likely, and the search that found it took it (no other zone of that
 * alignment within {@link RIVAL_RATIO} of it as likely, not refused as too unlikely or beside a
 * doubtful character left as read). Ways to read the lengths whose likeliest reading is below the
 * plausible zones found so far are not searched (they cannot pass a plausible zone). The zone is taken
 * when one zone is settled and every other reading that passes any zone passes it within
 * {@link MIN_RATIO} of its own likeliest; two settled zones, or a reading that passes only others,
 * leave the zone unrepaired. A reading with too many doubts to search (more zones than
 * `maxCandidates`, or more than {@link MAX_VARIANTS} ways to read its lengths) abstains. A dropped character is listed
 * as a change to `''`, an unread one put back as a change from `''`.
 *
 * @param readings - Each reading's three lines (spaces removed), with per-character alternatives.
 * @param options - {@link MrzAlternativesOptions}.
 */
export function repairMrzFromReadings(
  readings: readonly (readonly RecognizedLine[])[],
  options: MrzAlternativesOptions = {},
): MrzAlternativesResult {
  const minLog = Math.log(MIN_RATIO);
  const taken = new Map<string, { mrz: ParsedMrz; changes: MrzAlternativeChange[] }>();
  /** Per reading, every zone its searches passed and its best log-likelihood. */
  const byReading: Map<string, number>[] = [];
  /** Per reading, the zones a search of it took. */
  const takenBy: Set<string>[] = [];
  let failed = 'no reading';
  for (const lines of readings) {
    if (!Array.isArray(lines) || lines.length !== 3) continue;
    const first = lengthVariants(lines[0] as RecognizedLine);
    const second = lengthVariants(lines[1] as RecognizedLine);
    // a reading with too many ways to read, or too many doubts to search, abstains: it cannot say
    // which zones it passes (main read one reading alone, the other never weighed)
    if (first.length * second.length > MAX_VARIANTS) {
      failed = 'too many ways to read the line lengths';
      continue;
    }
    const zones = new Map<string, number>();
    const took = new Set<string>();
    let gaveUp = false;
    // each way to read the lengths, the likeliest first: one whose likeliest reading is less likely
    // than the plausible zones found so far cannot pass a plausible zone, and is not searched (a
    // misaligned line has many doubts, often too many to search)
    const ways = first
      .flatMap((a) => second.map((b) => [a, b] as const))
      .map(([a, b]) => {
        const lines3 = [
          ...[a, b].map((v) => ({
            text: v.chars.map((c) => c.char).join(''),
            confidence: Math.min(1, ...v.chars.map((c) => c.confidence)),
            chars: v.chars,
          })),
          lines[2] as RecognizedLine,
        ];
        // a dropped character was read as something: it costs the chance the recogniser gave it nothing
        const dropLog = [a, b].reduce(
          (acc, v) => acc + v.dropped.reduce((x, d) => x + Math.log(Math.max(UNSEEN, 1 - d.confidence)), 0),
          0,
        );
        return { a, b, lines3, dropLog, bound: searchZones(lines3, options, Infinity).bound + dropLog };
      })
      .sort((x, y) => y.bound - x.bound);
    let best = -Infinity;
    for (const { a, b, lines3, dropLog, bound } of ways) {
      if (bound === -Infinity || bound < best + minLog) continue;
      const found = searchZones(lines3, options, best + minLog - dropLog, Math.log(RIVAL_RATIO));
      // a search that gave up, or passed more zones than it lists, cannot say which zones pass
      if (found.incomplete) {
        gaveUp = true;
        failed = TOO_MANY;
        break;
      }
      for (const [z, l] of found.passing) {
        zones.set(z, Math.max(zones.get(z) ?? -Infinity, l + dropLog));
        best = Math.max(best, l + dropLog);
      }
      const r = found.result;
      if (r.status === 'failed' && r.reason !== BELOW_FLOOR) failed = r.reason;
      if (r.status !== 'repaired') continue;
      const key = r.mrz.lines.join('\n');
      took.add(key);
      const dropped: MrzAlternativeChange[] = [a, b].flatMap((v, line) =>
        v.dropped.map(({ column, char }) => ({ line, column, from: char, to: '' })),
      );
      const changes = [...dropped, ...r.changes];
      const had = taken.get(key);
      if (!had || changes.length < had.changes.length) taken.set(key, { mrz: r.mrz, changes });
    }
    if (gaveUp) continue;
    byReading.push(zones);
    takenBy.push(took);
  }
  /** The zones a reading finds about as likely as its likeliest. */
  const plausible = (zones: Map<string, number>) => {
    const best = Math.max(...zones.values());
    return [...zones].filter(([, l]) => l >= best + minLog).map(([z]) => z);
  };
  const settled = new Set<string>();
  byReading.forEach((zones, i) => {
    const p = plausible(zones);
    if (p.length === 1 && takenBy[i]?.has(p[0] as string)) settled.add(p[0] as string);
  });
  const all = new Set(byReading.flatMap((z) => [...z.keys()]));
  if (settled.size !== 1) {
    if (all.size > 1) return { status: 'ambiguous', candidates: all.size };
    return { status: 'failed', reason: failed };
  }
  const [zone] = settled as Set<string>;
  if (byReading.some((zones) => zones.size > 0 && !plausible(zones).includes(zone as string)))
    return { status: 'ambiguous', candidates: all.size };
  return { status: 'repaired', ...(taken.get(zone as string) as { mrz: ParsedMrz; changes: MrzAlternativeChange[] }) };
}

/**
 * How sure the readings are of a zone's name line, which no check digit covers: of the readings whose
 * name line reads the zone's (trailing fillers aside), the best lowest confidence of a character up to
 * the name's last letter; 0 when none reads it. A repair from second choices confirms lines 1–2 only:
 * a name line read in doubt (`VOU` for `LUU`, its `O` at 0.24) stays in doubt.
 */
export function nameLineConfidence(readings: readonly (readonly RecognizedLine[])[], line: string): number {
  const name = line.replace(/<+$/, '');
  let best = 0;
  for (const r of readings) {
    const chars = (Array.isArray(r?.[2]?.chars) ? (r[2] as RecognizedLine).chars : []).filter(
      (c) => typeof c?.char === 'string' && c.char !== ' ',
    );
    if (
      chars
        .map((c) => c.char)
        .join('')
        .replace(/<+$/, '') !== name
    )
      continue;
    const sure = Math.min(
      1,
      ...chars.slice(0, name.length).map((c) => (Number.isFinite(c.confidence) ? c.confidence : 0)),
    );
    best = Math.max(best, sure);
  }
  return best;
}
