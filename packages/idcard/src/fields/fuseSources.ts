import {
  type CitizenIdentity,
  foldDiacritics,
  formatDate,
  formatVietnamTd1Mrz,
  type Issue,
  issue,
  mrzCheckDigit,
  type ParsedMrz,
  type ParseMrzOptions,
  type PartialDate,
  type Sex,
  safeParseMrz,
} from '@smart-citizen/core';
import type { CardFieldName } from '../cardTypes.js';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { LOW_CONFIDENCE } from './FieldReading.js';
import type { FieldValue } from './readCardFields.js';

/** A field value that a machine-readable source of the same card vouches for. */
export interface ConfirmedValue {
  /** As the card prints it (`dd/mm/yyyy`, `Nam`/`Nữ`, names in upper case). */
  value: string;
  parsed?: PartialDate | 'none' | Sex;
  /** `mrz`: a check digit over the field holds; `qr`: the QR payload (Reed–Solomon protected) names it. */
  source: 'mrz' | 'qr';
}

/** Field values confirmed by the MRZ's check digits and by the QR payload. */
export type ConfirmedFields = Partial<Record<CardFieldName, ConfirmedValue>>;

const checkHolds = (mrz: ParsedMrz, name: string) => mrz.checks.some((c) => c.name === name && c.valid);

/**
 * The 20th-century digit of a 12-digit ID number gives the century of a two-digit year: 0/1 →
 * 1900s, 2/3 → 2000s, … (the century/sex digit, core's ID rules).
 */
function birthYear(yy: number, idNumber: string | undefined, fallback: number | undefined): number | undefined {
  const d = idNumber && /^\d{12}$/.test(idNumber) ? Number(idNumber[3]) : undefined;
  if (d !== undefined && d <= 9) return 1900 + 100 * Math.floor(d / 2) + yy;
  return fallback;
}

/**
 * The fields the MRZ confirms, each only where a check digit covering it holds: the 12-digit
 * number (optional data's own check; its last 9 digits must be the document number), the date of
 * birth (its check; the century from the number's century digit), the expiry (its check; `<<<<<<`
 * is "Không thời hạn") and the sex (the composite check). The name has no check digit: it is
 * compared letter by letter in {@link readName} instead.
 */
export function confirmedByMrz(mrz: ParsedMrz): ConfirmedFields {
  const out: ConfirmedFields = {};
  const pn = mrz.personalNumber;
  const id =
    pn && /^\d{12}$/.test(pn) && checkHolds(mrz, 'personalNumber') && pn.endsWith(mrz.documentNumber) ? pn : undefined;
  if (id) out.idNumber = { value: id, source: 'mrz' };
  if (checkHolds(mrz, 'dateOfBirth') && /^\d{6}$/.test(mrz.dateOfBirthRaw)) {
    const yy = Number(mrz.dateOfBirthRaw.slice(0, 2));
    const year = birthYear(yy, id, mrz.dateOfBirth?.year);
    const d = year !== undefined && mrz.dateOfBirth ? { ...mrz.dateOfBirth, year } : undefined;
    if (d) out.dateOfBirth = { value: formatDate(d), parsed: d, source: 'mrz' };
  }
  if (checkHolds(mrz, 'expiryDate')) {
    if (/^<{6}$/.test(mrz.expiryDateRaw)) out.expiryDate = { value: 'Không thời hạn', parsed: 'none', source: 'mrz' };
    else if (mrz.expiryDate)
      out.expiryDate = { value: formatDate(mrz.expiryDate), parsed: mrz.expiryDate, source: 'mrz' };
  }
  if (checkHolds(mrz, 'composite') && mrz.sex)
    out.sex = { value: mrz.sex === 'M' ? 'Nam' : 'Nữ', parsed: mrz.sex, source: 'mrz' };
  return out;
}

/** The fields a CCCD 2021 / Căn cước 2024 QR payload names, in the card's printed form. */
export function confirmedByQr(identity: CitizenIdentity): ConfirmedFields {
  const out: ConfirmedFields = {};
  if (identity.idNumber && /^\d{12}$/.test(identity.idNumber))
    out.idNumber = { value: identity.idNumber, source: 'qr' };
  if (identity.fullName)
    out.fullName = { value: identity.fullName.normalize('NFC').toLocaleUpperCase('vi'), source: 'qr' };
  if (identity.dateOfBirth?.day && identity.dateOfBirth.month)
    out.dateOfBirth = { value: formatDate(identity.dateOfBirth), parsed: identity.dateOfBirth, source: 'qr' };
  if (identity.sex) out.sex = { value: identity.sex === 'M' ? 'Nam' : 'Nữ', parsed: identity.sex, source: 'qr' };
  if (identity.placeOfResidence)
    out.placeOfResidence = { value: identity.placeOfResidence.normalize('NFC').replace(/\s+/g, ' '), source: 'qr' };
  if (identity.issueDate?.day && identity.issueDate.month)
    out.issueDate = { value: formatDate(identity.issueDate), parsed: identity.issueDate, source: 'qr' };
  return out;
}

/**
 * Both sources together: a field both name must agree, or neither vouches for it (a QR and an
 * MRZ that disagree are a sign of a forged card: `idcard/qr-mrz-mismatch`).
 */
export function mergeConfirmed(
  mrz: ConfirmedFields | undefined,
  qr: ConfirmedFields | undefined,
): { confirmed: ConfirmedFields; issues: Issue[] } {
  const confirmed: ConfirmedFields = { ...mrz };
  const issues: Issue[] = [];
  for (const [k, v] of Object.entries(qr ?? {}) as [CardFieldName, ConfirmedValue][]) {
    const m = confirmed[k];
    if (m && m.value !== v.value) {
      delete confirmed[k];
      issues.push(issue('idcard/qr-mrz-mismatch', 'error', 'the QR code and the MRZ name different values', k));
    } else confirmed[k] = v;
  }
  return { confirmed, issues };
}

/** Mismatch codes by field for an MRZ source (the ones `readCardFields` already raises). */
const mrzMismatch: Partial<Record<CardFieldName, string>> = {
  idNumber: 'idcard/id-mrz-mismatch',
  dateOfBirth: 'idcard/date-mrz-mismatch',
  expiryDate: 'idcard/date-mrz-mismatch',
  sex: 'idcard/sex-mrz-mismatch',
  fullName: 'idcard/name-mrz-mismatch',
};

/** Below this lowest character confidence an OCR read that disagrees with a confirmed value is taken as misread. */
export const DOUBTFUL_CHAR = 0.9;

/**
 * Put the confirmed values into the printed fields of one side. Agreement raises the field's
 * confidence to the source's. A disagreement keeps its mismatch issue (a misread or a forged
 * print: the session must look) and the field takes the confirmed value, at 0.85 when the OCR
 * doubted a character of its reading (a misread is the likely cause) and at 0.5 when it did not
 * (below {@link LOW_CONFIDENCE}: two sure sources disagree). The OCR's own rule issues about a
 * reading that was replaced are dropped: they describe a value the field no longer holds.
 *
 * @returns How many fields took a confirmed value.
 */
export function fuseConfirmed(
  fields: Partial<Record<CardFieldName, FieldValue>>,
  issues: Issue[],
  confirmed: ConfirmedFields,
  ocr: ReadonlyMap<CardFieldName, RecognizedLine>,
): number {
  let fused = 0;
  for (const [name, c] of Object.entries(confirmed) as [CardFieldName, ConfirmedValue][]) {
    const f = fields[name];
    if (!f) continue; // this side does not print the field
    const agreeConf = c.source === 'qr' ? 0.99 : 0.98;
    // a value readName already took from the MRZ letters is not an agreement of the print
    const disputed = issues.some((i) => i.path === name && i.code.endsWith('-mismatch'));
    if (f.value !== undefined && f.value.normalize('NFC') === c.value) {
      if (disputed) continue;
      if (f.confidence < agreeConf) f.confidence = agreeConf;
      dropIssues(issues, name, (i) => i.code === 'idcard/low-confidence');
      continue;
    }
    // names: the MRZ spells no diacritics, so only a QR name replaces the printed one here
    if (name === 'fullName' && c.source !== 'qr') continue;
    const line = ocr.get(name);
    const lowest = line?.chars.length ? Math.min(...line.chars.map((x) => x.confidence)) : 0;
    const doubtful = f.value === undefined || lowest < DOUBTFUL_CHAR;
    dropIssues(issues, name, (i) => i.severity !== 'info' && !i.code.endsWith('-mismatch'));
    const code = c.source === 'qr' ? 'idcard/qr-mismatch' : (mrzMismatch[name] ?? 'idcard/qr-mismatch');
    if (!issues.some((i) => i.code === code && i.path === name))
      issues.push(
        issue(
          code,
          'error',
          c.source === 'qr' ? 'the printed field differs from the QR code' : 'the printed field differs from the MRZ',
          name,
        ),
      );
    issues.push(
      c.source === 'qr'
        ? issue(
            'idcard/fused-from-qr',
            'info',
            'the field was taken from the QR code, which disagrees with the printed reading',
            name,
          )
        : issue(
            'idcard/fused-from-mrz',
            'info',
            'the field was taken from the MRZ, whose check digit holds, which disagrees with the printed reading',
            name,
          ),
    );
    f.value = c.value;
    if (c.parsed !== undefined) f.parsed = c.parsed;
    else delete f.parsed;
    f.confidence = doubtful ? 0.85 : 0.5;
    if (f.confidence < LOW_CONFIDENCE)
      issues.push(issue('idcard/low-confidence', 'warning', 'two sources of the card disagree on the field', name));
    fused++;
  }
  return fused;
}

function dropIssues(issues: Issue[], path: string, which: (i: Issue) => boolean): void {
  for (let i = issues.length - 1; i >= 0; i--) {
    const x = issues[i] as Issue;
    if (x.path === path && which(x)) issues.splice(i, 1);
  }
}

/** The printed fields the MRZ repeats, as read from the card's print. */
export interface PrintedMrzFields {
  fullName?: string | undefined;
  idNumber?: string | undefined;
  dateOfBirth?: PartialDate | undefined;
  sex?: Sex | undefined;
  expiryDate?: PartialDate | 'none' | undefined;
}

const yymmdd = (d: PartialDate) =>
  d.day && d.month
    ? `${String(d.year % 100).padStart(2, '0')}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`
    : undefined;

/** One way to rewrite a span of the MRZ: [line, start, text]. */
type Edit = readonly [number, number, string];

/** Where a value offered to the MRZ repair comes from: the card's print or its QR payload. */
export type MrzValueSource = 'print' | 'qr';

/** The values one source of the card gives for the fields the MRZ repeats. */
export interface MrzSourceFields extends PrintedMrzFields {
  source: MrzValueSource;
}

/** An MRZ repaired or rebuilt from the card's other sources, and which sources gave it characters. */
export interface MrzFromSources {
  mrz: ParsedMrz;
  /**
   * The sources whose values went into the zone: `print` wherever the print gave a value that
   * was taken, `qr` only for values the QR gave and the print did not (never empty).
   */
  from: MrzValueSource[];
}

/** One way to rewrite a field of the MRZ, and the sources that offer it. */
interface Alternative {
  edits: Edit[];
  from: Set<MrzValueSource>;
}

/** Offer `alt` in `group`, merging it with the same rewrite offered by another source. */
function offerAlternative(group: Alternative[], edits: Edit[], source: MrzValueSource): void {
  const key = JSON.stringify(edits);
  const same = group.find((a) => JSON.stringify(a.edits) === key);
  if (same) same.from.add(source);
  else group.push({ edits, from: new Set([source]) });
}

/** `print` where the print offered a value taken, otherwise `qr`. */
const attribution = (alts: readonly Alternative[]): MrzValueSource[] => {
  const from = new Set<MrzValueSource>(alts.map((a) => (a.from.has('print') ? 'print' : 'qr')));
  return (['print', 'qr'] as const).filter((s) => from.has(s));
};

const isId = (v: string | undefined): v is string => !!v && /^\d{12}$/.test(v);
const checkOf = (data: string) => (data === '<<<<<<' ? '<' : String(mrzCheckDigit(data) ?? '<'));

/**
 * An MRZ whose check digits fail, repaired from the values the card's other sources give for
 * the fields it repeats (number, personal number, date of birth, sex, expiry): each field may
 * take one source's value, and a check digit may be recomputed where the MRZ reads the same
 * value as a source. A repair is kept only when every check digit then holds — the check
 * digits read from the MRZ confirm the values taken, and the values confirm the MRZ's — with
 * the fewest characters changed; two different repairs of that size are ambiguous and refused.
 * A source's value that the check digits read do not confirm is never taken.
 *
 * @param lines - The three 30-character lines as parsed.
 * @param sources - Values per source (the print, the QR payload), in order of preference.
 * @returns The repaired MRZ and the sources it took from, or `undefined` when no repair holds.
 */
export function repairMrzFromSources(
  lines: readonly string[],
  sources: readonly MrzSourceFields[],
  options: ParseMrzOptions = {},
): MrzFromSources | undefined {
  if (lines.length !== 3 || lines.some((l) => l.length !== 30)) return undefined;
  // one group per MRZ field: the rewrites the sources offer for it
  const groups: Alternative[][] = [[], [], [], [], []];
  // a field the MRZ reads as the source gives it may have its check digit recomputed; one it reads otherwise takes the value
  const offer = (g: number, source: MrzValueSource, line: number, start: number, value: string, checkAt: number) => {
    const read = lines[line]?.slice(start, start + value.length);
    if (read !== value) offerAlternative(groups[g] as Alternative[], [[line, start, value]], source);
    else if (lines[line]?.[checkAt] !== checkOf(value))
      offerAlternative(groups[g] as Alternative[], [[line, checkAt, checkOf(value)]], source);
  };
  for (const s of sources) {
    if (isId(s.idNumber)) {
      offer(0, s.source, 0, 5, s.idNumber.slice(3), 14);
      offer(1, s.source, 0, 15, s.idNumber, 29);
    }
    const dob = s.dateOfBirth && yymmdd(s.dateOfBirth);
    if (dob) offer(2, s.source, 1, 0, dob, 6);
    if (s.sex && lines[1]?.[7] !== s.sex) offerAlternative(groups[3] as Alternative[], [[1, 7, s.sex]], s.source);
    const exp = s.expiryDate === 'none' ? '<<<<<<' : s.expiryDate ? yymmdd(s.expiryDate) : undefined;
    if (exp) offer(4, s.source, 1, 8, exp, 14);
  }
  const offered = groups.filter((g) => g.length > 0);
  const apply = (edits: readonly Edit[]) => {
    const out = lines.map((l) => [...l]);
    for (const [l, s, t] of edits) for (let k = 0; k < t.length; k++) (out[l] as string[])[s + k] = t[k] as string;
    return out.map((l) => l.join(''));
  };
  const changed = (ls: readonly string[]) =>
    ls.reduce((n, l, i) => n + [...l].filter((ch, k) => ch !== lines[i]?.[k]).length, 0);
  let best: { mrz: ParsedMrz; cost: number; alts: Alternative[]; ambiguous: boolean } | undefined;
  // every choice of at most one rewrite per field (5 fields, at most 2 sources: 3^5 = 243 parses of 90 characters)
  const choice = new Array<number>(offered.length).fill(-1);
  for (;;) {
    const alts = offered.flatMap((g, i) => (choice[i] === -1 ? [] : [g[choice[i] as number] as Alternative]));
    const candidate = apply(alts.flatMap((a) => a.edits));
    const cost = changed(candidate);
    if (cost > 0 && (!best || cost <= best.cost)) {
      const p = safeParseMrz(candidate, options);
      if (p.ok && p.value.valid) {
        if (best && cost === best.cost) best.ambiguous ||= p.value.lines.join() !== best.mrz.lines.join();
        else best = { mrz: p.value, cost, alts, ambiguous: false };
      }
    }
    // next choice (an odometer over the groups)
    let i = 0;
    while (i < offered.length && (choice[i] as number) + 1 >= (offered[i] as Alternative[]).length) choice[i++] = -1;
    if (i === offered.length) break;
    choice[i] = (choice[i] as number) + 1;
  }
  return best && !best.ambiguous ? { mrz: best.mrz, from: attribution(best.alts) } : undefined;
}

/**
 * {@link repairMrzFromSources} with the printed fields as the only source.
 *
 * @returns The repaired MRZ, or `undefined` when no repair makes every check digit hold.
 */
export function repairMrzFromPrint(
  lines: readonly string[],
  printed: PrintedMrzFields,
  options: ParseMrzOptions = {},
): ParsedMrz | undefined {
  return repairMrzFromSources(lines, [{ ...printed, source: 'print' }], options)?.mrz;
}

/** Check-digit columns of TD1 lines 1 and 2 (the name line has none). */
const CHECK_COLUMNS: readonly (readonly number[])[] = [
  [14, 29],
  [6, 14, 29],
];
/** A line further than this many edits from the print's MRZ is not taken as a misread of it. */
const MAX_LINE_EDITS = 10;

/**
 * For each position of `want`, the character of `got` aligned to it by a minimal edit script
 * (`undefined` where `want`'s character was deleted), and the edit distance.
 */
function alignTo(got: string, want: string): { at: (string | undefined)[]; distance: number } {
  const n = got.length;
  const m = want.length;
  const d = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (got[i - 1] === want[j - 1] ? 0 : 1),
      );
    }
  const at: (string | undefined)[] = new Array(m).fill(undefined);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const here = (d[i] as number[])[j] as number;
    if (here === ((d[i - 1] as number[])[j - 1] as number) + (got[i - 1] === want[j - 1] ? 0 : 1)) {
      at[j - 1] = got[i - 1];
      i--;
      j--;
    } else if (here === ((d[i - 1] as number[])[j] as number) + 1) i--;
    else j--;
  }
  return { at, distance: (d[n] as number[])[m] as number };
}

/**
 * An MRZ too damaged to parse (glare that inserts or drops characters), recognised as the MRZ the
 * card's other sources would give: their values (number, date of birth, sex, expiry; each field
 * from any source that gives it) are formatted as a Vietnamese TD1 zone, and each OCR line is
 * aligned to it. A zone is taken only when every check digit read from the MRZ sits where it has
 * it and equals it (five digits, each a one-in-ten chance by accident), no line is more than
 * {@link MAX_LINE_EDITS} edits away, and no other choice of values passes too (ambiguous). The
 * name line (no check digit) is kept as read when it is a whole line of letters and fillers,
 * otherwise it is the sources' name closest to the line read. `undefined` otherwise.
 *
 * @param ocrLines - The three lines as the OCR read them.
 * @param sources - Values per source (the print, the QR payload), in order of preference for the name.
 */
export function rebuildMrzFromSources(
  ocrLines: readonly string[],
  sources: readonly MrzSourceFields[],
  options: ParseMrzOptions = {},
): MrzFromSources | undefined {
  if (ocrLines.length !== 3) return undefined;
  /** The distinct values of one field across the sources, each with the sources that give it. */
  const values = <T>(pick: (s: MrzSourceFields) => T | undefined, key: (v: T) => string) => {
    const out: { value: T; from: Set<MrzValueSource> }[] = [];
    for (const s of sources) {
      const v = pick(s);
      if (v === undefined) continue;
      const same = out.find((o) => key(o.value) === key(v));
      if (same) same.from.add(s.source);
      else out.push({ value: v, from: new Set([s.source]) });
    }
    return out;
  };
  const dateKey = (d: PartialDate | 'none') => (d === 'none' ? 'none' : (yymmdd(d) ?? ''));
  const ids = values((s) => (isId(s.idNumber) ? s.idNumber : undefined), String);
  const dobs = values((s) => (s.dateOfBirth?.day && s.dateOfBirth.month ? s.dateOfBirth : undefined), dateKey);
  const sexes = values((s) => s.sex, String);
  const exps = values((s) => s.expiryDate, dateKey);
  const names = values((s) => (s.fullName ? mrzLetters(s.fullName) : undefined), String).filter((n) => n.value.trim());
  const firstName = names[0]?.value;
  if (!firstName) return undefined;
  // lines 1 and 2 (number, dates, sex, composite) do not depend on the name
  const passing: { lines: [string, string]; alts: Alternative[] }[] = [];
  for (const id of ids)
    for (const dob of dobs)
      for (const sex of sexes)
        for (const exp of exps) {
          let want: [string, string, string];
          try {
            want = formatVietnamTd1Mrz({
              personalNumber: id.value,
              fullName: firstName,
              dateOfBirth: dob.value,
              sex: sex.value,
              ...(exp.value === 'none' ? {} : { expiryDate: exp.value }),
            });
          } catch {
            continue;
          }
          const fits = CHECK_COLUMNS.every((columns, l) => {
            const { at, distance } = alignTo(ocrLines[l] as string, want[l] as string);
            return distance <= MAX_LINE_EDITS && columns.every((c) => at[c] === want[l]?.[c]);
          });
          if (fits && !passing.some((p) => p.lines[0] === want[0] && p.lines[1] === want[1]))
            passing.push({
              lines: [want[0], want[1]],
              alts: [id, dob, sex, exp].map((v) => ({ edits: [], from: v.from })),
            });
        }
  if (passing.length !== 1) return undefined;
  const [{ lines: top, alts }] = passing as [(typeof passing)[number]];
  // the name line: as read when it is a whole line of letters and fillers (and near a source's
  // name), otherwise the sources' name closest to it (the first source on a tie)
  const read = ocrLines[2] as string;
  const nameLines = names.map((n) => {
    const line = formatVietnamTd1Mrz({
      personalNumber: '000000000000',
      fullName: n.value,
      dateOfBirth: { year: 2000, month: 1, day: 1 },
      sex: 'M',
    })[2];
    return { line, from: n.from, distance: alignTo(read, line).distance };
  });
  const closest = nameLines.reduce((a, b) => (b.distance < a.distance ? b : a));
  let nameLine = closest.line;
  if (/^[A-Z<]{30}$/.test(read)) {
    if (closest.distance > MAX_LINE_EDITS) return undefined;
    nameLine = read;
  } else alts.push({ edits: [], from: closest.from });
  const p = safeParseMrz([top[0], top[1], nameLine], options);
  return p.ok && p.value.valid ? { mrz: p.value, from: attribution(alts) } : undefined;
}

/**
 * {@link rebuildMrzFromSources} with the printed fields as the only source.
 *
 * @returns The MRZ the print gives, or `undefined` when the zone read does not confirm it.
 */
export function mrzFromPrint(
  ocrLines: readonly string[],
  printed: PrintedMrzFields,
  options: ParseMrzOptions = {},
): ParsedMrz | undefined {
  return rebuildMrzFromSources(ocrLines, [{ ...printed, source: 'print' }], options)?.mrz;
}

/** The ASCII letters of a printed name as the MRZ would spell them. */
const mrzLetters = (name: string): string =>
  foldDiacritics(name)
    .toUpperCase()
    .replace(/[^A-Z ]/g, '');
