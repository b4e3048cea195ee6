import { issue, type Issue } from '../errors/Issue.js';
import { SmartCitizenError } from '../errors/SmartCitizenError.js';
import type { PartialDate, Sex } from '../identity/CitizenIdentity.js';
import { parseYYMMDD } from '../rules/dates.js';
import { validateIdNumber } from '../rules/idNumber.js';
import { mrzCheckDigit } from './checkDigit.js';
import {
  type MrzCharClass,
  type MrzCheckName,
  TD1_LINE_LENGTH,
  type Td1CheckSpec,
  type Td1FieldName,
  td1Checks,
  td1Fields,
  td1VietnamClasses,
} from './td1Layout.js';

/** Options of {@link parseMrz}. */
export interface ParseMrzOptions {
  /**
   * Repair OCR confusions (O/0, I/1, B/8, S/5, Z/2, G/6, a `<` read as a letter, a line one or
   * two fillers too long or short) — only where a check digit confirms the repair.
   * @default true
   */
  repair?: boolean;
  /** Today's date, for the century of the dates. @default new Date() */
  today?: Date;
}

/** One check digit of the MRZ and whether it holds. */
export interface MrzCheck {
  name: MrzCheckName;
  valid: boolean;
  /** The check digit computed from the covered characters (`undefined` when they hold characters outside the MRZ alphabet). */
  expected: number | undefined;
  /** The character at the check-digit position. */
  found: string;
}

/** One character changed by the repair. */
export interface MrzRepair {
  /** Line (0–2) and column (0–29) after the line-length repair. */
  line: number;
  column: number;
  /** Characters before and after (`from` is empty for an inserted filler, `to` for a removed one). */
  from: string;
  to: string;
  /** What confirmed it: a check digit (`personalNumber` also confirms a country field set to `VNM`), or the line-length search. */
  confirmedBy: MrzCheckName | 'line-length';
}

/** One field as read: its characters, its value without fillers, and where it is. */
export interface MrzField {
  name: Td1FieldName;
  line: number;
  start: number;
  length: number;
  /** The characters as they stand (after repair). */
  raw: string;
  /** Fillers trimmed (name fields keep single `<` as spaces). */
  value: string;
  /** Every character is allowed at its position and every check digit covering it holds. */
  valid: boolean;
}

/** A TD1 machine-readable zone read into fields, with every check as data. */
export interface ParsedMrz {
  format: 'TD1';
  /** The three 30-character lines after repair. */
  lines: [string, string, string];
  /** All check digits hold and no issue is an error. */
  valid: boolean;
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  optionalData1: string;
  /** `YYMMDD` as printed; see {@link dateOfBirth}. */
  dateOfBirthRaw: string;
  dateOfBirth: PartialDate | undefined;
  sex: Sex | undefined;
  expiryDateRaw: string;
  expiryDate: PartialDate | undefined;
  nationality: string;
  optionalData2: string;
  /** Primary identifier (before `<<`), fillers as spaces. */
  surname: string;
  /** Secondary identifier (after `<<`), fillers as spaces. */
  givenNames: string;
  /** `surname givenNames`: on Vietnamese cards the full name without diacritics. */
  fullName: string;
  /** Vietnamese cards: the 12-digit personal identification number from optional data 1. */
  personalNumber: string | undefined;
  fields: MrzField[];
  checks: MrzCheck[];
  repairs: MrzRepair[];
  issues: Issue[];
}

/** Outcome of {@link safeParseMrz}. */
export type SafeParseMrzResult = { ok: true; value: ParsedMrz } | { ok: false; error: SmartCitizenError };

const MAX_INPUT = 2000;
const MAX_OPTIONAL_REPAIRS = 2;
// Characters outside the MRZ alphabet that OCR engines return for the filler.
const FILLER_LOOKALIKES: Readonly<Record<string, string>> = {
  '«': '<<',
  '《': '<<',
  '‹': '<',
  '〈': '<',
  '＜': '<',
  '(': '<',
  '[': '<',
  '{': '<',
};
/** OCR-B letters an OCR engine returns for a digit, and the digit (`O` → `0`, `B` → `8`, …): the repair's digit look-alikes. */
export const MRZ_DIGIT_LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  L: '1',
  Z: '2',
  S: '5',
  G: '6',
  B: '8',
};
const TO_DIGIT = MRZ_DIGIT_LOOKALIKES;
const TO_ALPHA: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B' };

function malformed(message: string, details: Record<string, unknown>): SmartCitizenError {
  return new SmartCitizenError('mrz/malformed', message, { details });
}

/** Split text into MRZ lines: upper case, no spaces, filler look-alikes mapped to `<`. */
function splitLines(input: string | readonly string[]): string[] {
  const raw = typeof input === 'string' ? input.split(/\r\n|\r|\n/) : [...input];
  const lines = raw
    .map((l) => {
      if (typeof l !== 'string') throw new TypeError('[@smart-citizen/core] parseMrz expects strings');
      let out = '';
      for (const ch of l.toUpperCase().replace(/\s+/g, '')) out += FILLER_LOOKALIKES[ch] ?? ch;
      return out;
    })
    .filter((l) => l.length > 0);
  if (lines.length === 1 && (lines[0] as string).length === 3 * TD1_LINE_LENGTH) {
    const one = lines[0] as string;
    return [one.slice(0, 30), one.slice(30, 60), one.slice(60)];
  }
  return lines;
}

function isValidFor(ch: string, cls: MrzCharClass): boolean {
  if (ch === '<') return true;
  const digit = ch >= '0' && ch <= '9';
  const alpha = ch >= 'A' && ch <= 'Z';
  switch (cls) {
    case 'digit':
      return digit;
    case 'alpha':
      return alpha;
    case 'alnum':
      return digit || alpha;
    case 'filler':
      return false;
  }
}

/** Replacements a character may need (`forced`: it is not allowed here) or might take (`optional`). */
function alternatives(ch: string, cls: MrzCharClass): { forced: boolean; options: string[] } {
  if (isValidFor(ch, cls)) {
    if (cls !== 'alnum') return { forced: false, options: [] };
    const other = TO_DIGIT[ch] ?? TO_ALPHA[ch];
    return { forced: false, options: other === undefined ? [] : [other] };
  }
  if (cls === 'filler') return { forced: true, options: ['<'] };
  const mapped = cls === 'digit' ? TO_DIGIT[ch] : cls === 'alpha' ? TO_ALPHA[ch] : undefined;
  return { forced: true, options: mapped === undefined ? [] : [mapped] };
}

class Grid {
  readonly rows: string[][];
  constructor(lines: readonly string[]) {
    this.rows = lines.map((l) => [...l]);
  }
  at(line: number, col: number): string {
    return this.rows[line]?.[col] ?? '';
  }
  set(line: number, col: number, ch: string): void {
    const row = this.rows[line];
    if (row) row[col] = ch;
  }
  text(line: number, start: number, end: number): string {
    return (this.rows[line] ?? []).slice(start, end).join('');
  }
  lines(): [string, string, string] {
    return [this.text(0, 0, 30), this.text(1, 0, 30), this.text(2, 0, 30)];
  }
}

function isVietnam(grid: Grid): boolean {
  return grid.text(0, 2, 5) === 'VNM';
}

function classAt(line: number, col: number, vietnam: boolean): MrzCharClass {
  if (vietnam) {
    const vn = td1VietnamClasses[`${line}:${col}`];
    if (vn) return vn;
  }
  for (const f of td1Fields) {
    if (f.line === line && col >= f.start && col < f.start + f.length) return f.charClass;
  }
  return 'alnum';
}

function checkData(grid: Grid, spec: Td1CheckSpec): string {
  return spec.ranges.map(([l, s, e]) => grid.text(l, s, e)).join('');
}

function evaluateCheck(grid: Grid, spec: Td1CheckSpec): MrzCheck {
  const expected = mrzCheckDigit(checkData(grid, spec));
  const found = grid.at(spec.at[0], spec.at[1]);
  return { name: spec.name, valid: expected !== undefined && found === String(expected), expected, found };
}

function activeChecks(grid: Grid): Td1CheckSpec[] {
  const vn = isVietnam(grid);
  return td1Checks.filter((c) => vn || !c.vietnamOnly);
}

function* subsets<T>(items: readonly T[], size: number, from = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i] as T, ...rest];
  }
}

type Pos = readonly [number, number];

/**
 * Make one check hold by changing characters that are not allowed at their position (forced) and
 * at most {@link MAX_OPTIONAL_REPAIRS} confusable ones; applied only when exactly one smallest
 * change makes the check digit hold.
 */
function repairCheck(
  grid: Grid,
  spec: Td1CheckSpec,
  locked: Set<string>,
  repairs: MrzRepair[],
): 'ok' | 'repaired' | 'failed' | 'ambiguous' {
  const vn = isVietnam(grid);
  const positions: Pos[] = [
    ...spec.ranges.flatMap(([l, s, e]) => Array.from({ length: e - s }, (_, i) => [l, s + i] as const)),
    spec.at,
  ];
  const forced: { pos: Pos; to: string }[] = [];
  const optional: { pos: Pos; to: string }[] = [];
  for (const pos of positions) {
    if (locked.has(`${pos[0]}:${pos[1]}`)) continue;
    const alt = alternatives(grid.at(pos[0], pos[1]), classAt(pos[0], pos[1], vn));
    if (alt.forced) {
      if (alt.options.length !== 1) return 'failed';
      forced.push({ pos, to: alt.options[0] as string });
    } else {
      for (const to of alt.options) optional.push({ pos, to });
    }
  }
  if (forced.length === 0 && evaluateCheck(grid, spec).valid) return 'ok';
  const apply = (changes: { pos: Pos; to: string }[]): string[] => {
    const before = changes.map(({ pos }) => grid.at(pos[0], pos[1]));
    for (const { pos, to } of changes) grid.set(pos[0], pos[1], to);
    return before;
  };
  const undo = (changes: { pos: Pos; to: string }[], before: string[]): void => {
    changes.forEach(({ pos }, i) => {
      grid.set(pos[0], pos[1], before[i] as string);
    });
  };
  for (let k = 0; k <= Math.min(MAX_OPTIONAL_REPAIRS, optional.length); k++) {
    const winners: { pos: Pos; to: string }[][] = [];
    for (const extra of subsets(optional, k)) {
      const changes = [...forced, ...extra];
      const before = apply(changes);
      if (evaluateCheck(grid, spec).valid) winners.push(changes);
      undo(changes, before);
      if (winners.length > 1) break;
    }
    if (winners.length > 1) return 'ambiguous';
    const [win] = winners;
    if (win) {
      const before = apply(win);
      win.forEach(({ pos, to }, i) => {
        repairs.push({ line: pos[0], column: pos[1], from: before[i] as string, to, confirmedBy: spec.name });
      });
      for (const pos of positions) locked.add(`${pos[0]}:${pos[1]}`);
      return 'repaired';
    }
  }
  return 'failed';
}

/**
 * Character repairs confirmed by the check digits. A country field one letter away from `VNM` is
 * set to `VNM` only when optional data 1 has the Vietnamese shape and its check digit holds.
 */
function repairCharacters(grid: Grid, repairs: MrzRepair[]): void {
  const personal = grid.text(0, 15, 30);
  const vnShape = /^\d{12}<<\d$/.test(personal) && mrzCheckDigit(personal.slice(0, 12)) === Number(personal[14]);
  for (const name of ['issuingState', 'nationality'] as const) {
    const f = td1Fields.find((x) => x.name === name);
    if (!f || !vnShape) continue;
    const chars = [...grid.text(f.line, f.start, f.start + f.length)];
    const wrong = chars.flatMap((c, i) => (c === 'VNM'[i] ? [] : [i]));
    if (wrong.length !== 1) continue;
    const i = wrong[0] as number;
    grid.set(f.line, f.start + i, 'VNM'[i] as string);
    repairs.push({
      line: f.line,
      column: f.start + i,
      from: chars[i] as string,
      to: 'VNM'[i] as string,
      confirmedBy: 'personalNumber',
    });
  }
  const locked = new Set<string>();
  for (const spec of activeChecks(grid)) repairCheck(grid, spec, locked, repairs);
}

function allChecksHold(lines: readonly string[]): boolean {
  const grid = new Grid(lines);
  repairCharacters(grid, []);
  return activeChecks(grid).every((c) => evaluateCheck(grid, c).valid);
}

/** Lines of 28–32 characters: insert or remove fillers where that makes every check hold, uniquely. */
function repairLineLengths(lines: string[], repairs: MrzRepair[]): void {
  const name = lines[2] as string;
  if (name.length < 30) {
    repairs.push({
      line: 2,
      column: name.length,
      from: '',
      to: '<'.repeat(30 - name.length),
      confirmedBy: 'line-length',
    });
    lines[2] = name.padEnd(30, '<');
  } else if (name.length > 30 && /^<+$/.test(name.slice(30))) {
    repairs.push({ line: 2, column: 30, from: name.slice(30), to: '', confirmedBy: 'line-length' });
    lines[2] = name.slice(0, 30);
  }
  for (const li of [0, 1]) {
    const line = lines[li] as string;
    const diff = TD1_LINE_LENGTH - line.length;
    if (diff === 0 || Math.abs(diff) > 2) continue;
    const candidates = new Set<string>();
    if (diff > 0) {
      for (let i = 0; i <= line.length; i++) {
        const once = `${line.slice(0, i)}<${line.slice(i)}`;
        if (diff === 1) candidates.add(once);
        else for (let j = 0; j <= once.length; j++) candidates.add(`${once.slice(0, j)}<${once.slice(j)}`);
      }
    } else {
      const fillers = [...line].flatMap((c, i) => (c === '<' ? [i] : []));
      for (const drop of subsets(fillers, -diff))
        candidates.add([...line].filter((_, i) => !drop.includes(i)).join(''));
    }
    const good = [...candidates].filter((c) => {
      const trial = [...lines];
      trial[li] = c;
      return trial.every((l) => l.length === TD1_LINE_LENGTH) && allChecksHold(trial);
    });
    if (good.length === 1) {
      const fixed = good[0] as string;
      let col = 0;
      while (col < Math.min(fixed.length, line.length) && fixed[col] === line[col]) col++;
      repairs.push({
        line: li,
        column: col,
        from: diff > 0 ? '' : '<'.repeat(-diff),
        to: diff > 0 ? '<'.repeat(diff) : '',
        confirmedBy: 'line-length',
      });
      lines[li] = fixed;
    }
  }
}

function nameParts(line: string): { surname: string; givenNames: string } {
  const trimmed = line.replace(/<+$/, '');
  const cut = trimmed.indexOf('<<');
  const words = (s: string) => s.split('<').filter(Boolean).join(' ');
  return cut < 0
    ? { surname: words(trimmed), givenNames: '' }
    : { surname: words(trimmed.slice(0, cut)), givenNames: words(trimmed.slice(cut + 2)) };
}

function parseDateField(
  raw: string,
  kind: 'birth' | 'expiry',
  path: string,
  today: Date | undefined,
  issues: Issue[],
): PartialDate | undefined {
  try {
    return parseYYMMDD(raw, { kind, today });
  } catch {
    issues.push(
      issue(
        'mrz/date-invalid',
        'error',
        `the ${kind === 'birth' ? 'date of birth' : 'expiry date'} is not a calendar date`,
        path,
      ),
    );
    return undefined;
  }
}

function toLines(input: string | readonly string[]): string[] {
  if (typeof input !== 'string' && !Array.isArray(input))
    throw new TypeError('[@smart-citizen/core] parseMrz expects a string or an array of lines');
  const size =
    typeof input === 'string' ? input.length : input.reduce((n, l) => n + (typeof l === 'string' ? l.length : 0), 0);
  if (size > MAX_INPUT) throw malformed('the text is far too long for a machine-readable zone', { length: size });
  const lines = splitLines(input);
  if (lines.length === 2 && lines.every((l) => Math.abs(l.length - 44) <= 2)) {
    throw new SmartCitizenError('mrz/not-td1', 'this is a 2-line passport (TD3) zone, not an ID card (TD1) zone', {
      details: { lines: 2 },
    });
  }
  if (lines.length === 2 && lines.every((l) => Math.abs(l.length - 36) <= 2)) {
    throw new SmartCitizenError('mrz/not-td1', 'this is a 2-line TD2 zone, not an ID card (TD1) zone', {
      details: { lines: 2 },
    });
  }
  if (lines.length !== 3) throw malformed('a TD1 machine-readable zone has 3 lines', { lines: lines.length });
  if (lines.some((l) => Math.abs(l.length - TD1_LINE_LENGTH) > 2)) {
    throw malformed('a TD1 line has 30 characters', { lengths: lines.map((l) => l.length) });
  }
  return lines;
}

/**
 * Read an ICAO 9303 TD1 machine-readable zone (ID cards: 3 lines × 30 characters) into fields,
 * with every check digit as data, including the Vietnamese specifics: the document number is
 * the last 9 digits of the 12-digit personal identification number, and optional data 1 is the
 * 12 digits, `<<` and a check digit over them.
 *
 * OCR confusions (O/0, I/1, B/8, …, a filler read as a letter, a filler too many or too few) are
 * repaired only where a check digit confirms the repair; each repair is listed. Domain problems
 * (a check digit that does not hold, an impossible date, a document number that is not the
 * personal number's tail) are issues in the result.
 *
 * @param input - The three lines, as one string with line breaks (or 90 characters in a row) or as an array.
 * @param options - {@link ParseMrzOptions}.
 * @returns The parsed zone; `valid` says whether every check holds.
 * @throws SmartCitizenError `mrz/malformed` when the text is not 3 lines of about 30
 *   characters, `mrz/not-td1` when it is a passport (TD3) or TD2 zone.
 * @example parseMrz('IDVNM0930470641001093047064<<2\n9301054M3301052VNM<<<<<<<<<<<8\nUNG<<HOANG<HIEP<<<<<<<<<<<<<<<').fullName // 'UNG HOANG HIEP'
 */
export function parseMrz(input: string | readonly string[], options: ParseMrzOptions = {}): ParsedMrz {
  const lines = toLines(input);
  const repair = options.repair ?? true;
  const repairs: MrzRepair[] = [];
  const issues: Issue[] = [];
  if (repair) repairLineLengths(lines, repairs);
  lines.forEach((l, i) => {
    if (l.length !== TD1_LINE_LENGTH) {
      issues.push(
        issue('mrz/line-length', 'error', `line ${i + 1} has ${l.length} characters instead of 30`, `line${i + 1}`),
      );
      lines[i] = l.slice(0, TD1_LINE_LENGTH).padEnd(TD1_LINE_LENGTH, '<');
    }
  });
  const grid = new Grid(lines);
  if (repair) repairCharacters(grid, repairs);
  const vietnam = isVietnam(grid);
  const checks = activeChecks(grid).map((spec) => evaluateCheck(grid, spec));
  for (const c of checks) {
    if (!c.valid) issues.push(issue('mrz/check-digit', 'error', `the ${c.name} check digit does not hold`, c.name));
  }
  const failedCover = new Set<string>();
  activeChecks(grid).forEach((spec, i) => {
    if (checks[i]?.valid) return;
    for (const [l, s, e] of spec.ranges) for (let c = s; c < e; c++) failedCover.add(`${l}:${c}`);
    failedCover.add(`${spec.at[0]}:${spec.at[1]}`);
  });
  const fields: MrzField[] = td1Fields.map((f) => {
    const raw = grid.text(f.line, f.start, f.start + f.length);
    let charsOk = true;
    let checksOk = true;
    for (let c = f.start; c < f.start + f.length; c++) {
      if (!isValidFor(grid.at(f.line, c), classAt(f.line, c, vietnam))) charsOk = false;
      if (failedCover.has(`${f.line}:${c}`)) checksOk = false;
    }
    const valid = charsOk && checksOk;
    const value =
      f.name === 'name' ? raw.replace(/<+$/, '').replace(/</g, ' ').trim() : raw.replace(/<+$/, '').replace(/^<+/, '');
    if (!charsOk) {
      issues.push(
        issue('mrz/invalid-character', 'error', `the ${f.name} field holds characters not allowed there`, f.name),
      );
    }
    return { name: f.name, line: f.line, start: f.start, length: f.length, raw, value, valid };
  });
  const value = (name: Td1FieldName): string => fields.find((f) => f.name === name)?.value ?? '';
  const rawOf = (name: Td1FieldName): string => fields.find((f) => f.name === name)?.raw ?? '';

  const documentCode = value('documentCode');
  if (!/^[IAC]/.test(rawOf('documentCode'))) {
    issues.push(issue('mrz/document-code', 'warning', 'an ID-card zone starts with I, A or C', 'documentCode'));
  }
  const today = options.today;
  const dateOfBirth = parseDateField(rawOf('dateOfBirth'), 'birth', 'dateOfBirth', today, issues);
  // Cards that do not expire (Vietnamese holders over 60) write six fillers.
  const noExpiry = rawOf('expiryDate') === '<<<<<<';
  if (noExpiry) issues.push(issue('mrz/no-expiry', 'info', 'the zone gives no expiry date', 'expiryDate'));
  const expiryDate = noExpiry ? undefined : parseDateField(rawOf('expiryDate'), 'expiry', 'expiryDate', today, issues);
  const sexRaw = rawOf('sex');
  const sex: Sex | undefined = sexRaw === 'M' || sexRaw === 'F' ? sexRaw : undefined;
  if (sex === undefined && sexRaw !== '<' && sexRaw !== 'X') {
    issues.push(issue('mrz/sex-invalid', 'error', 'the sex is not M, F, X or <', 'sex'));
  }
  const { surname, givenNames } = nameParts(rawOf('name'));
  if (surname === '')
    issues.push(issue('mrz/name-missing', 'error', 'the name line holds no primary identifier', 'name'));

  let personalNumber: string | undefined;
  if (vietnam) {
    const opt = rawOf('optionalData1');
    const m = /^(\d{12})<<\d$/.exec(opt);
    if (!m) {
      issues.push(
        issue(
          'mrz/vn-optional-data',
          'error',
          'Vietnamese optional data is 12 digits, <<, and a check digit',
          'optionalData1',
        ),
      );
    } else {
      personalNumber = m[1] as string;
      if (personalNumber.slice(3) !== rawOf('documentNumber')) {
        issues.push(
          issue(
            'mrz/vn-document-number',
            'error',
            'the document number is not the last 9 digits of the personal number',
            'documentNumber',
          ),
        );
      }
      for (const i of validateIdNumber(personalNumber, { dateOfBirth, sex, today }).issues) {
        issues.push({ ...i, path: 'personalNumber' });
      }
    }
  }
  return {
    format: 'TD1',
    lines: grid.lines(),
    valid: checks.every((c) => c.valid) && !issues.some((i) => i.severity === 'error'),
    documentCode,
    issuingState: value('issuingState'),
    documentNumber: value('documentNumber'),
    optionalData1: value('optionalData1'),
    dateOfBirthRaw: rawOf('dateOfBirth'),
    dateOfBirth,
    sex,
    expiryDateRaw: rawOf('expiryDate'),
    expiryDate,
    nationality: value('nationality'),
    optionalData2: value('optionalData2'),
    surname,
    givenNames,
    fullName: givenNames === '' ? surname : `${surname} ${givenNames}`,
    personalNumber,
    fields,
    checks,
    repairs,
    issues,
  };
}

/**
 * {@link parseMrz} without throwing: `{ ok: false, error }` when the text is not a TD1 zone.
 *
 * @param input - The three lines.
 * @param options - {@link ParseMrzOptions}.
 * @returns The result.
 */
export function safeParseMrz(input: string | readonly string[], options: ParseMrzOptions = {}): SafeParseMrzResult {
  try {
    return { ok: true, value: parseMrz(input, options) };
  } catch (err) {
    if (err instanceof SmartCitizenError) return { ok: false, error: err };
    if (err instanceof TypeError)
      return { ok: false, error: new SmartCitizenError('mrz/malformed', err.message, { cause: err }) };
    throw err;
  }
}
