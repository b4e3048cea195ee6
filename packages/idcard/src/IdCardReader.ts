import { type CitizenIdentity, type Issue, issue, isSmartCitizenError, type ParsedMrz } from '@smart-citizen/core';
import { applyHomography, crop, decodeImage, type Point, type RasterImage, resize } from '@smart-citizen/image';
import type { CardFieldName, CardSide, CardType } from './cardTypes.js';
import { IdCardError } from './errors.js';
import {
  type ClassifiedOutline,
  chooseOutlineByLayout,
  otherOutlines,
  outlinesFromMrz,
  REPLACE_MIN,
  insideOutlineLook,
  secondOutlineLook,
} from './geometry/chooseOutline.js';
import { findCardQuad, type Quad } from './geometry/findCardQuad.js';
import { cardSharpness, fieldsUnderGlare } from './geometry/quality.js';
import { cardToPhoto } from './geometry/rectify.js';
import { registerToLayout } from './geometry/registerToLayout.js';
import type { CardLayout, MmBox } from './layout/CardLayout.js';
import { mmBoxToPx, type PxBox } from './layout/canonical.js';
import { cardLayout } from './layout/layouts.js';
import { fallbackNameLexicon, type NameLexicon } from './fields/nameLexicon.js';
import { settleMrzName } from './fields/mrzName.js';
import { readName } from './fields/readName.js';
import { type CardBarcode, crossCheckBarcode } from './fields/barcodeCrossCheck.js';
import { joinLines } from './fields/FieldReading.js';
import { PlaceMatcher } from './fields/PlaceMatcher.js';
import { type ReadingPlausibility, readingPlausibility } from './fields/readingPlausibility.js';
import { chooseGlareReadings, type GlareAlternatives } from './fields/glareReadings.js';
import {
  confirmedByMrz,
  confirmedByQr,
  fuseConfirmed,
  mergeConfirmed,
  type MrzSourceFields,
  type PrintedMrzFields,
  rebuildMrzFromSources,
  repairMrzFromSources,
} from './fields/fuseSources.js';
import {
  type FieldLines,
  type FieldValue,
  type ReadCardFieldsOptions,
  readCardFields,
} from './fields/readCardFields.js';
import { type PrintedFields, readPrintedFields } from './fields/readPrintedFields.js';
import type { RecognizedChar, RecognizedLine } from './ocr/ctcDecode.js';
import { createLineRecognizer, type LineRecognizerOptions } from './ocr/createLineRecognizer.js';
import { deglareLine } from './ocr/deglareLine.js';
import { findMrzLines } from './ocr/findMrzLines.js';
import { nameLineConfidence, repairMrzFromReadings } from './ocr/mrzAlternatives.js';
import { betterMrzReading, type MrzReading, mrzFromLines } from './ocr/readMrz.js';
import type { ReadCardQrOptions, ReadCardQrResult } from '@smart-citizen/qr';

/** A card photo: encoded bytes (JPEG, PNG, WebP, BMP) or decoded pixels. */
export type CardImageInput = Uint8Array | RasterImage;

/** What a field line recogniser returns (the shape of idcard's OCR engines). */
export interface RecognizedText {
  text: string;
  /** 0–1. */
  confidence: number;
  /** Per-character confidences (the name and place repairs only touch doubtful characters); @default every character at `confidence` */
  chars?: RecognizedChar[];
}

/** Reads one line crop; `field` is the field name, or `mrz` for an MRZ line. */
export interface FieldLineRecognizer {
  recognize(image: RasterImage, options: { field: CardFieldName | 'mrz' }): Promise<RecognizedText>;
  close?(): Promise<void>;
}

/** Options of {@link IdCardReader.create}. */
export interface IdCardReaderOptions {
  /**
   * Reads each field's line crop. Without one the reader still finds, rectifies, classifies
   * and crops the card and decodes its QR code / PDF417 barcode (the QR's values become the
   * side's fields), and says so with an `idcard/ocr-not-configured` info issue.
   * `'builtin'` is the package's own recogniser, {@link createLineRecognizer} with
   * {@link IdCardReaderOptions.lineRecognizer} as its options: by {@link DEFAULT_LINE_ENGINES}
   * the shipped CTC model for every field, tesseract.js only for the fields given to it.
   * `'tesseract'` is a deprecated alias of `'builtin'` (the name dates from when tesseract.js read
   * every field; it never meant "tesseract only").
   */
  recognizer?: FieldLineRecognizer | 'builtin' | 'tesseract';
  /** Options of the built-in line recogniser (engines per field, CTC model, tesseract.js paths). @default {} */
  lineRecognizer?: LineRecognizerOptions;
  /** @deprecated Use {@link IdCardReaderOptions.lineRecognizer} (same options); used only when that is absent. */
  tesseract?: LineRecognizerOptions;
  /** Name words by role for the name checks. @default the small list shipped with the package */
  names?: NameLexicon;
  /**
   * Administrative units for the place fields. @default loaded once from `@smart-citizen/forms`
   * on the first read; `false` returns places as read.
   */
  places?: PlaceMatcher | false;
  /** Reference date for the date rules. @default now */
  today?: Date;
  /** Photos with more pixels are refused (`idcard/image-too-large`). @default 60_000_000 */
  maxPixels?: number;
  /** Photos are downscaled to this longer side before finding the card. @default 2400 */
  maxDimension?: number;
  /** Card long side in photo pixels below which the card is `too-small`. @default 400 */
  minCardPixels?: number;
  /** Sharpness (see `cardSharpness`) below which the card is `too-blurred`. @default 0.12 */
  minSharpness?: number;
  /** Classification score below which the card is not a known Vietnamese card. @default 0.2 */
  minLayoutScore?: number;
  /**
   * The QR code printed on a CCCD 2021 front or a Căn cước 2024 back is read from its zone of the
   * rectified card with `readCardQr` (`@smart-citizen/qr`) and its fields (number, name with
   * diacritics, date of birth, sex, residence, issue date) win over a disagreeing reading of the
   * print. Options go to `readCardQr` (in a browser its `engine`, e.g. a zxing-wasm engine with a
   * self-hosted `wasmUrl`: without one the code is not read and the side says `idcard/qr-unreadable`);
   * `false` skips the QR. `now` is the clock the budget is timed on (a benchmark on a loaded machine
   * may pass a CPU clock). @default `{ timeBudgetMs: 300 }`
   */
  qr?: false | Pick<ReadCardQrOptions, 'engine' | 'timeBudgetMs' | 'now'>;
}

/** A picture cut from the card, with where it is. */
export interface CardCrop {
  image: RasterImage;
  /** Box in the rectified card (canonical 12 px/mm pixels). */
  box: PxBox;
  /** Its four corners in the photo. */
  quad: [Point, Point, Point, Point];
}

/** What a kiosk can tell the citizen when a side could not be read. */
export type SideProblem =
  | 'bad-image'
  | 'image-too-large'
  | 'no-card'
  | 'card-cut-off'
  | 'too-small'
  | 'too-blurred'
  | 'unknown-card';

/** The result for one photo. */
export type SideResult =
  | {
      status: 'read';
      documentType: CardType;
      side: CardSide;
      /** Corners of the card in the photo (the card's own top-left first). */
      quad: Quad;
      classification: { score: number; margin: number };
      sharpness: number;
      fields: Partial<Record<CardFieldName, FieldValue>>;
      mrz?: ParsedMrz;
      /** How sure the MRZ reading is: its lowest field confidence (every check digit holding raises it). */
      mrzConfidence?: number;
      portrait?: CardCrop;
      fingerprints?: { leftIndex: CardCrop; rightIndex: CardCrop };
      /**
       * The PDF417 barcode of a CCCD 2016 back, decoded (raw text: its layout is not published).
       * Its 12-digit number is checked against the card's (`idcard/barcode-agrees` / `-disagrees`).
       */
      barcode?: CardBarcode;
      /** The rectified card (RGB, canonical size). */
      card: RasterImage;
      issues: Issue[];
      ms: number;
    }
  | {
      status: SideProblem;
      issues: Issue[];
      ms: number;
      quad?: Quad;
      /** The card's type, when the other side of the card was read (`read({ front, back })`). */
      documentType?: CardType;
      /** Which side of that card this photo was given as. */
      side?: CardSide;
      /**
       * The fields this side prints that the card's other sources vouch for — the MRZ where its
       * check digits hold, the QR payload (read from the other side, or from this photo when only
       * the card's edge is missing) — each with an `idcard/field-from-other-side` info issue:
       * none of them was read from this side's print.
       */
      fields?: Partial<Record<CardFieldName, FieldValue>>;
    };

/** Result of {@link IdCardReader.read}. */
export interface IdCardReadResult {
  front?: SideResult;
  back?: SideResult;
  /** Problems across the two sides (types or sides that do not match). */
  issues: Issue[];
}

const LINE_PAD_MM = 0.7;
/**
 * Top margin of an upper-case value line under a label (names): a tone stacked on a circumflex,
 * breve or horn capital (Ẩ, Ế, Ổ: 1.11 em in Arimo bold, 0.82 × 3 mm type, baseline at 0.8 of the
 * box) rises 0.33 mm above the value's box, and the 0.2 mm gap to the label clipped it (`CẨN` read
 * `CÂN`). Session 13: 0.33 mm plus registration slack, measured on the tuning halves.
 */
const STACKED_MARKS_TOP_MM = 0.55;

/**
 * The most a field is trusted when read from a crop with the highlight taken out, or when glare
 * clipped part of its print (`deglareLine`): below the fields' low-confidence mark (0.6), so the
 * field says it is unsure unless the card's MRZ or QR vouches for it. Session 16,
 * seed 15: an issue date whose first digit lost its top to glare read `23/05` for `29/05` at 0.85
 * from the cleared crop.
 */
const GLARE_CONFIDENCE = 0.5;

/**
 * The formats a deglared crop is read for: those whose rules tell a right reading from a wrong one
 * (a valid date, an ID number by its rules). A place or a name always gives some value, and the
 * recogniser's higher confidence on the stretched crop chose worse places on the tuning sets
 * (session 16: seed 8 `Xã Việt Tiến` and seed 12 `Mộc Châu`, which the matcher repairs from the
 * glared crop's reading, were lost to the deglared one's).
 */
const CLEARED_FORMATS: ReadonlySet<string> = new Set(['date', 'id-number', 'sex']);

/** A line with every character's confidence held at or below `max`. */
function doubted(line: RecognizedLine, max: number): RecognizedLine {
  return {
    ...line,
    confidence: Math.min(line.confidence, max),
    chars: line.chars.map((c) => (c.confidence > max ? { ...c, confidence: max } : c)),
  };
}

/** A recogniser's answer as a line with per-character confidences. */
function asLine(r: RecognizedText): RecognizedLine {
  const text = (r.text ?? '').normalize('NFC');
  const confidence = Number.isFinite(r.confidence) ? Math.min(1, Math.max(0, r.confidence)) : 0;
  const chars = r.chars ?? [...text].map((char) => ({ char, confidence }));
  return { text, confidence, chars };
}

/** The OCR of one side before post-processing (kept aside so `read` can cross-check the two sides). */
interface RawSide {
  lines: FieldLines[];
  glare: Set<CardFieldName>;
  /** Fields read from a crop with the highlight taken out, or with print lost to glare: held at {@link GLARE_CONFIDENCE}. */
  glared?: readonly CardFieldName[];
  mrz?: MrzReading;
  /** The identity of the side's QR payload, when it has a QR zone and the code was read. */
  qr?: CitizenIdentity;
  /** The side's PDF417 barcode (CCCD 2016 back), when it has one and it was read. */
  barcode?: CardBarcode;
}

type RawRead = { result: SideResult; raw?: RawSide | undefined };

/** The sources of a card that vouch for its printed fields. */
interface CardSources {
  mrz?: ParsedMrz | undefined;
  mrzConfidence?: number | undefined;
  /** The MRZ was repaired from the print or the QR (check digits, or letters of the name line). */
  mrzRepaired?: boolean;
  /** The MRZ name line disagrees with the card's other sources and nothing settled it ({@link settleMrzName}). */
  mrzNameUncertain?: boolean;
  confirmed: ReturnType<typeof mergeConfirmed>['confirmed'];
  issues: Issue[];
  /** The print of each side as read for an MRZ repair (no MRZ, no fusion yet), for #finish to reuse. */
  printedPass: ReadonlyMap<RawSide, PrintedFields>;
}

/** The values of a QR payload for the fields the MRZ repeats. */
function qrMrzFields(qr: CitizenIdentity): PrintedMrzFields {
  return {
    idNumber: qr.idNumber,
    fullName: qr.fullName,
    dateOfBirth: qr.dateOfBirth?.day && qr.dateOfBirth.month ? qr.dateOfBirth : undefined,
    sex: qr.sex,
    expiryDate: qr.noExpiry ? 'none' : qr.expiryDate,
  };
}

/** A side's printed reading with the card's confirmed values put in ({@link fuseConfirmed}). */
function fuseReading(
  pass: PrintedFields,
  confirmed: CardSources['confirmed'],
): { fields: PrintedFields['fields']; issues: Issue[] } {
  fuseConfirmed(pass.fields, pass.issues, confirmed, pass.lines);
  return { fields: pass.fields, issues: pass.issues };
}

/** How sure a field that only the card's MRZ (check digits holding) or QR names is: its print was not read. */
const FROM_OTHER_SIDE_CONFIDENCE = 0.9;

/**
 * The fields a layout prints that the card's MRZ or QR vouch for, each said to come from there: a
 * side that could not be read, or one read without a line recogniser.
 */
function fieldsFromSources(
  layout: CardLayout,
  sources: CardSources,
  why: string,
): { fields: Partial<Record<CardFieldName, FieldValue>>; issues: Issue[] } {
  const fields: Partial<Record<CardFieldName, FieldValue>> = {};
  const issues: Issue[] = [];
  for (const { field } of layout.fields) {
    const c = sources.confirmed[field];
    if (!c || fields[field]) continue;
    fields[field] = {
      value: c.value,
      confidence: FROM_OTHER_SIDE_CONFIDENCE,
      text: '',
      ...(c.parsed !== undefined ? { parsed: c.parsed } : {}),
    };
    issues.push(
      issue(
        'idcard/field-from-other-side',
        'info',
        c.source === 'qr'
          ? `${why}: the field is the card's QR code's value`
          : `${why}: the field is the MRZ's value, whose check digit holds`,
        field,
      ),
    );
  }
  return { fields, issues };
}

/**
 * A side that could not be read, of a card whose other side was: the fields its layout prints
 * that the card's MRZ or QR vouch for.
 */
function fillFromOtherSources(
  r: Extract<SideResult, { status: SideProblem }>,
  slot: CardSide,
  other: Extract<SideResult, { status: 'read' }>,
  sources: CardSources,
): void {
  const side: CardSide = other.side === 'front' ? 'back' : 'front';
  const { fields, issues } = fieldsFromSources(
    cardLayout(other.documentType, side),
    sources,
    `the ${slot} was not read`,
  );
  if (Object.keys(fields).length === 0) return;
  r.issues.push(...issues);
  r.documentType = other.documentType;
  r.side = side;
  r.fields = fields;
}

/**
 * The MRZ's confidence after a repair from the recogniser's second choices: every check digit holds,
 * but the characters changed were the recogniser's second guesses, not another source's reading.
 */
const ALTERNATIVES_REPAIR_CONFIDENCE = 0.8;

/** The MRZ's confidence when its name line disagrees with the card's other sources and nothing settled it. */
const MRZ_NAME_UNCERTAIN_CONFIDENCE = 0.5;

/**
 * The confidence of each of the MRZ name line's 30 characters as the OCR read them, where they line
 * up with the parsed line: read at 30 characters, or longer by fillers alone past the 30th (a
 * letter inserted pushes one filler past the end, which the parser drops).
 */
function nameLineConfidences(ocr: RecognizedLine | undefined, line: string | undefined): number[] | undefined {
  if (!ocr || line === undefined || ocr.chars.length < 30) return undefined;
  const text = ocr.chars.map((c) => c.char).join('');
  if (text.slice(0, 30) !== line || !/^<*$/.test(text.slice(30))) return undefined;
  return ocr.chars.slice(0, 30).map((c) => c.confidence);
}

/** A QR zone is cut with this margin: the code's quiet zone and a millimetre of registration error. */
const QR_PAD_MM = 2;

/**
 * Below this classification margin the runner-up layout's lines are read too and the more plausible
 * reading decides the type ({@link readingPlausibility}). On the tuning seeds 8–12 (level 2, 598
 * sides found) the 5 sides classified wrong had margins 0.005–0.052, and 29 of the 593 right ones
 * lay below 0.1 too (from 0.005): about one side in twenty pays for a second reading.
 */
const READ_TYPE_BELOW = 0.1;
/**
 * The runner-up's reading replaces the ink's choice only when at least this plausible: below it
 * neither layout's lines were read as the card's fields (an outline off by millimetres), and which
 * of two noise readings scores higher says nothing of the type. On the tuning seeds 8–12 the
 * readings under the right type and outline scored 0.59–1, those of sides with a wrong outline
 * 0.003–0.39 under either layout (a CCCD 2016 back went from one wrong type to another at 0.10 vs 0.12).
 */
const PLAUSIBLE_READING = 0.5;
/**
 * Below this plausibility a side is read again within the photo's other outlines
 * (`otherOutlines`), and another outline's reading replaces it only when at least this plausible
 * and by {@link CLEARLY_MORE} more evidence. Readings under the right type and outline scored
 * 0.59–1 on the tuning seeds 8–12; those within outlines 4–14 mm off 0–0.55 (session 18: seeds
 * 22, 23, 111).
 */
const IMPLAUSIBLE_READING = 0.6;
/** Evidence (`readingPlausibility`) another outline's reading must add: about one more field read by its rules. */
const CLEARLY_MORE = 1;

/** A card registered to a layout (`registerToLayout`). */
type Registered = ReturnType<typeof registerToLayout>;

/** A side's lines read under one layout. */
interface SideLines {
  lines: FieldLines[];
  mrz?: MrzReading;
  /** Fields read from a crop with the highlight taken out, or a line of which lost print to glare (`deglareLine`). */
  glared: CardFieldName[];
}

/** A box of the rectified card, cut out with its corners in the photo. */
function cardCrop(card: RasterImage, toPhoto: Registered['toPhoto'], b: MmBox, pad = 0): CardCrop {
  const box = mmBoxToPx(b, pad);
  const corners = [
    { x: box.x, y: box.y },
    { x: box.x + box.width, y: box.y },
    { x: box.x + box.width, y: box.y + box.height },
    { x: box.x, y: box.y + box.height },
  ].map((p) => applyHomography(toPhoto, p)) as [Point, Point, Point, Point];
  return { image: crop(card, box), box, quad: corners };
}

/**
 * A first reading whose outline came to nothing or may be wrong: none found (cut off, no card, not
 * like a card) or one whose card scores below {@link REPLACE_MIN}. The card is then looked for by
 * its MRZ (`outlinesFromMrz`). A side read within an outline that looks like a card is not looked
 * at again, even when its MRZ does not hold (session 18: a Căn cước back whose MRZ the QR repairs,
 * outline 0.1 mm off, was moved 0.4 mm).
 */
function mrzOutlineWorthTrying(first: RawRead): boolean {
  const r = first.result;
  if (r.status === 'card-cut-off' || r.status === 'no-card' || r.status === 'unknown-card') return true;
  return r.status === 'read' && r.classification.score < REPLACE_MIN;
}

/**
 * An MRZ reading whose check digits all hold as read, or after the repair a back read alone gets
 * from the recogniser's readings (`repairMrzFromReadings`, the only likely zone that passes).
 */
function mrzHolds(reading: MrzReading | undefined, today: Date | undefined): boolean {
  if (!reading) return false;
  if (reading.mrz?.valid) return true;
  const readings = reading.readings ?? [reading.ocr];
  return repairMrzFromReadings(readings, { vietnam: true, ...(today ? { today } : {}) }).status === 'repaired';
}

function problem(status: SideProblem, message: string, started: number, quad?: Quad): SideResult {
  return {
    status,
    issues: [issue(`idcard/${status}`, 'error', message)],
    ms: performance.now() - started,
    ...(quad ? { quad } : {}),
  };
}

/**
 * Reads Vietnamese ID cards from photos: finds the card, rectifies it to 12 px/mm, fixes a
 * quarter or half turn, classifies type and side against the layouts, checks sharpness and
 * glare, cuts out the portrait and the index-finger prints, and reads each field's line crops
 * with the configured recogniser (the MRZ through `parseMrz`). Create → `read` → `close`.
 */
export class IdCardReader {
  readonly #options: IdCardReaderOptions;
  readonly #recognizer: FieldLineRecognizer | undefined;
  #places: Promise<PlaceMatcher | undefined> | undefined;
  #qr: Promise<typeof import('@smart-citizen/qr').readCardQr> | undefined;
  #closed = false;

  private constructor(options: IdCardReaderOptions, recognizer: FieldLineRecognizer | undefined) {
    this.#options = options;
    this.#recognizer = recognizer;
  }

  /**
   * Create a reader.
   *
   * @param options - {@link IdCardReaderOptions}.
   * @throws IdCardError `idcard/bad-options` for impossible limits.
   */
  static async create(options: IdCardReaderOptions = {}): Promise<IdCardReader> {
    for (const k of ['maxPixels', 'maxDimension', 'minCardPixels'] as const) {
      const v = options[k];
      if (v !== undefined && !(Number.isFinite(v) && v > 0))
        throw new IdCardError('idcard/bad-options', `${k} must be a positive number`);
    }
    if (options.recognizer === 'builtin' || options.recognizer === 'tesseract') {
      const ocr = await createLineRecognizer(options.lineRecognizer ?? options.tesseract ?? {});
      return new IdCardReader(options, ocr);
    }
    return new IdCardReader(options, options.recognizer);
  }

  #placeMatcher(): Promise<PlaceMatcher | undefined> {
    const p = this.#options.places;
    if (p === false) return Promise.resolve(undefined);
    if (p) return Promise.resolve(p);
    // the administrative units are loaded once; a build without them reads places as printed
    this.#places ??= PlaceMatcher.create(undefined, this.#options.names).catch(() => undefined);
    return this.#places;
  }

  /**
   * Read the front and/or the back of a card. The fields of each side are checked against the
   * MRZ wherever it is printed (the back of a CCCD 2021 or Căn cước 2024), so the front's name,
   * number and dates are confirmed or contradicted by the back.
   *
   * @param input - `{ front?, back? }`: encoded photos or decoded pixels.
   * @returns One {@link SideResult} per given side; problems with a photo are results, not errors.
   * @throws IdCardError `idcard/closed` after `close()`, `idcard/no-input` with neither side.
   */
  async read(input: { front?: CardImageInput; back?: CardImageInput }): Promise<IdCardReadResult> {
    if (this.#closed) throw new IdCardError('idcard/closed', 'the reader is closed');
    if (!input || (input.front === undefined && input.back === undefined))
      throw new IdCardError('idcard/no-input', 'give a front and/or a back image');
    const result: IdCardReadResult = { issues: [] };
    const front = input.front !== undefined ? await this.#readRaw(input.front) : undefined;
    const back = input.back !== undefined ? await this.#readRaw(input.back) : undefined;
    const sources = await this.#sources([front, back]);
    result.issues.push(...sources.issues);
    if (front) result.front = await this.#finish(front, sources);
    if (back) {
      const other = result.front?.status === 'read' ? result.front.fields : undefined;
      result.back = await this.#finish(back, sources, other);
    }
    for (const [slot, r, other] of [
      ['front', result.front, result.back],
      ['back', result.back, result.front],
    ] as const)
      if (r && r.status !== 'read' && other?.status === 'read') fillFromOtherSources(r, slot, other, sources);
    for (const [slot, r] of [
      ['front', result.front],
      ['back', result.back],
    ] as const) {
      if (r?.status === 'read' && r.side !== slot) {
        result.issues.push(
          issue('idcard/side-mismatch', 'warning', `the ${slot} image shows the ${r.side} of a card`, slot),
        );
      }
    }
    if (
      result.front?.status === 'read' &&
      result.back?.status === 'read' &&
      result.front.documentType !== result.back.documentType
    ) {
      result.issues.push(issue('idcard/type-mismatch', 'error', 'the front and the back are of different card types'));
    }
    return result;
  }

  /**
   * Read one photo of one side (its fields checked against its own MRZ only).
   *
   * @param input - Encoded photo or pixels.
   */
  async readSide(input: CardImageInput): Promise<SideResult> {
    const raw = await this.#readRaw(input);
    const sources = await this.#sources([raw]);
    const r = await this.#finish(raw, sources);
    r.issues.push(...sources.issues);
    return r;
  }

  /**
   * What the card's machine-readable parts vouch for: the MRZ (repaired from the print of any side
   * where its check digits fail and the print makes them hold) and the QR payload, merged.
   */
  async #sources(sides: readonly (RawRead | undefined)[]): Promise<CardSources> {
    const raws = sides.flatMap((s) => (s?.raw && s.result.status === 'read' ? [{ raw: s.raw, result: s.result }] : []));
    const reading = raws.find((s) => s.raw.mrz?.mrz)?.raw.mrz ?? raws.find((s) => s.raw.mrz)?.raw.mrz;
    let mrz = reading?.mrz;
    let mrzConfidence = reading?.confidence;
    let mrzRepaired = false;
    let fromAlternatives = false;
    const issues: Issue[] = [];
    const printedPass = new Map<RawSide, PrintedFields>();
    // a QR code read from a photo whose card was cut off counts too
    const qr = raws.find((s) => s.raw.qr)?.raw.qr ?? sides.find((s) => s?.raw?.qr)?.raw?.qr;
    if (reading && !mrz?.valid) {
      const printed: PrintedMrzFields = {};
      for (const { raw, result } of raws) {
        // read as #finish would read it without an MRZ: if the MRZ stays unrepaired, #finish takes this reading
        const pass = readPrintedFields(raw.lines, await this.#fieldOptions(raw, result.documentType));
        printedPass.set(raw, pass);
        const { fields } = pass;
        printed.idNumber ??= fields.idNumber?.value;
        printed.fullName ??= fields.fullName?.value;
        if (typeof fields.dateOfBirth?.parsed === 'object') printed.dateOfBirth ??= fields.dateOfBirth.parsed;
        const sex = fields.sex?.parsed;
        if (sex === 'M' || sex === 'F') printed.sex ??= sex;
        const exp = fields.expiryDate?.parsed;
        if (exp === 'none' || typeof exp === 'object') printed.expiryDate ??= exp;
      }
      // the QR first: a name line that no check digit covers is taken from it on a tie
      const values: MrzSourceFields[] = [
        ...(qr ? [{ ...qrMrzFields(qr), source: 'qr' as const }] : []),
        { ...printed, source: 'print' },
      ];
      const opts = this.#options.today ? { today: this.#options.today } : {};
      const repaired =
        (mrz ? repairMrzFromSources(mrz.lines, values, opts) : undefined) ??
        rebuildMrzFromSources(
          reading.ocr.map((l) => l.text),
          values,
          opts,
        );
      if (repaired) {
        mrz = repaired.mrz;
        mrzRepaired = true;
        // every check digit holds now, each confirmed by the values taken: as sure as the print's reading
        mrzConfidence = Math.max(mrzConfidence ?? 0, 0.9);
        if (repaired.from.includes('print'))
          issues.push(
            issue(
              'idcard/mrz-repaired-from-print',
              'warning',
              'MRZ characters were taken from the printed fields, whose values make every check digit hold',
              'mrz',
            ),
          );
        if (repaired.from.includes('qr'))
          issues.push(
            issue(
              'idcard/mrz-repaired-from-qr',
              'warning',
              "MRZ characters were taken from the QR code's values, which make every check digit read hold",
              'mrz',
            ),
          );
      } else {
        // no source repairs it (a back read alone): the recogniser's second choices, where exactly one zone passes
        // every MRZ this reader reads is a Vietnamese card's (CCCD 2021, Căn cước 2024 backs)
        const readings = reading.readings ?? [reading.ocr];
        const alt = repairMrzFromReadings(readings, { ...opts, vietnam: true });
        if (alt.status === 'repaired') {
          mrz = alt.mrz;
          mrzRepaired = true;
          fromAlternatives = true;
          // the check digits confirm lines 1-2; the name line is as sure as it was read (a QR or a print
          // that settles it below raises it again)
          mrzConfidence = Math.min(ALTERNATIVES_REPAIR_CONFIDENCE, nameLineConfidence(readings, alt.mrz.lines[2]));
          issues.push(
            issue(
              'idcard/mrz-repaired-from-alternatives',
              'warning',
              `${alt.changes.length} MRZ character(s) were replaced by the recogniser's second choices: the only zone within three changes whose check digits and number rules all hold (of every reading of the zone, a line read a character or two long or short aligned)`,
              'mrz',
            ),
          );
        }
      }
    }
    let mrzNameUncertain = false;
    if (mrz) {
      // the name line has no check digit: the QR's or the print's name settles a misread letter, or says it is unsure
      const nameLine = raws.flatMap((s) => s.raw.lines).find((f) => f.field === 'fullName');
      const ocrName = reading?.ocr[2];
      const settled = settleMrzName(
        mrz,
        {
          qrName: qr?.fullName,
          printedName: nameLine
            ? readName(joinLines(nameLine.lines), { lexicon: this.#options.names }).value
            : undefined,
          nameLineConfidences: nameLineConfidences(ocrName, mrz.lines[2]),
          nameLineReadLength: ocrName?.chars.length,
        },
        this.#options.names ?? fallbackNameLexicon(),
        this.#options.today ? { today: this.#options.today } : {},
      );
      issues.push(...settled.issues);
      if (settled.from) {
        mrz = settled.mrz;
        mrzRepaired = true;
        // a letter dropped by the name list alone is as sure as a second-choice repair, no surer
        mrzConfidence =
          settled.from === 'names'
            ? Math.min(mrzConfidence ?? 0, ALTERNATIVES_REPAIR_CONFIDENCE)
            : Math.max(mrzConfidence ?? 0, 0.9);
      }
      mrzNameUncertain = settled.uncertain;
      // a name line settled there raises the MRZ's confidence, never above that of a second-choice repair
      if (fromAlternatives) mrzConfidence = Math.min(mrzConfidence ?? 0, ALTERNATIVES_REPAIR_CONFIDENCE);
    }
    const merged = mergeConfirmed(mrz ? confirmedByMrz(mrz) : undefined, qr ? confirmedByQr(qr) : undefined);
    issues.push(...merged.issues);
    return { mrz, mrzConfidence, mrzRepaired, mrzNameUncertain, confirmed: merged.confirmed, issues, printedPass };
  }

  /** The options of a side's field reading that do not depend on the card's other sources. */
  #fieldOptions(raw: RawSide, cardType: CardType): Promise<ReadCardFieldsOptions> {
    return this.#lineFieldOptions(raw.lines, cardType);
  }

  async #lineFieldOptions(lines: readonly FieldLines[], cardType: CardType): Promise<ReadCardFieldsOptions> {
    return {
      lexicon: this.#options.names,
      // names too: a name word's spellings are weighed by the syllables the units' names use
      places: lines.some((l) => l.format === 'place' || l.format === 'name') ? await this.#placeMatcher() : undefined,
      cardType,
      ...(this.#options.today ? { today: this.#options.today } : {}),
    };
  }

  async #finish(
    side: RawRead,
    sources: CardSources,
    otherSide?: Partial<Record<CardFieldName, FieldValue>>,
  ): Promise<SideResult> {
    const r = side.result;
    const raw = side.raw;
    if (r.status !== 'read' || !raw) return r;
    const started = performance.now();
    const pass = sources.printedPass.get(raw);
    // the reading done for the MRZ repair is this one when the MRZ stays unrepaired (an invalid MRZ
    // is not cross-checked) and no other side's fields could change it (they help an ID number only)
    const reuse = pass && !sources.mrzRepaired && (!otherSide || !raw.lines.some((l) => l.format === 'id-number'));
    const { fields, issues } = !this.#recognizer
      ? // no print was read: the fields the card's codes vouch for
        fieldsFromSources(cardLayout(r.documentType, r.side), sources, 'no line recogniser')
      : reuse
        ? fuseReading(pass, sources.confirmed)
        : readCardFields(raw.lines, {
            ...(await this.#fieldOptions(raw, r.documentType)),
            mrz: sources.mrz,
            otherSide,
            confirmed: sources.confirmed,
          });
    // glare marks what was read from the print
    if (this.#recognizer)
      for (const f of raw.glare) {
        const v = fields[f];
        if (v) v.underGlare = true;
      }
    // a place or a name the unit and name lists accept was still read from a glared line: the rules
    // raise its confidence (a province matched whole), the print under the highlight does not
    for (const f of raw.glared ?? []) {
      const v = fields[f];
      if (v && !sources.confirmed[f] && v.confidence > GLARE_CONFIDENCE) v.confidence = GLARE_CONFIDENCE;
    }
    if (raw.mrz) {
      if (sources.mrzRepaired && sources.mrz) {
        // the issues of the MRZ as read describe check digits that hold now (all its issues stand when
        // its check digits held and only letters of its name line were rewritten)
        issues.push(...(raw.mrz.mrz?.valid ? raw.mrz.issues : raw.mrz.issues.filter((i) => i.severity === 'info')));
        r.mrz = sources.mrz;
        if (sources.mrzConfidence !== undefined) r.mrzConfidence = sources.mrzConfidence;
      } else {
        issues.push(...raw.mrz.issues);
        if (raw.mrz.mrz) {
          r.mrz = raw.mrz.mrz;
          r.mrzConfidence = raw.mrz.confidence;
        }
      }
    }
    // a name line that the card's other sources contradict is not a sure reading, whatever its check digits
    if (sources.mrzNameUncertain && r.mrzConfidence !== undefined)
      r.mrzConfidence = Math.min(r.mrzConfidence, MRZ_NAME_UNCERTAIN_CONFIDENCE);
    r.fields = fields;
    r.issues.push(...issues);
    if (raw.barcode) {
      r.barcode = raw.barcode;
      // the CCCD 2016 back prints no number: the front's, when read with it
      r.issues.push(...crossCheckBarcode(raw.barcode, fields.idNumber?.value ?? otherSide?.idNumber?.value));
    }
    r.ms += performance.now() - started;
    return r;
  }

  /** The side's QR code, read from its zone of the rectified card (`undefined` when it does not read). */
  async #readQr(image: RasterImage, formats?: ReadCardQrOptions['formats']): Promise<ReadCardQrResult | undefined> {
    const o = this.#options.qr;
    if (o === false) return undefined;
    try {
      this.#qr ??= import('@smart-citizen/qr').then((m) => m.readCardQr);
      const readCardQr = await this.#qr;
      return await readCardQr(image, {
        timeBudgetMs: 300,
        ...o,
        ...(formats ? { formats } : {}),
        ...(this.#options.today ? { today: this.#options.today } : {}),
      });
    } catch {
      // no QR engine here (a browser page without the zxing-wasm binary): the print is read alone
      return undefined;
    }
  }

  async #readRaw(input: CardImageInput): Promise<RawRead> {
    if (this.#closed) throw new IdCardError('idcard/closed', 'the reader is closed');
    const started = performance.now();
    const o = this.#options;
    let img: RasterImage;
    try {
      img =
        input instanceof Uint8Array
          ? await decodeImage(input, { maxPixels: o.maxPixels ?? 60_000_000, maxDimension: o.maxDimension ?? 2400 })
          : input;
    } catch (err) {
      if (isSmartCitizenError(err, 'image/too-large'))
        return { result: problem('image-too-large', 'the photo has too many pixels', started) };
      if (isSmartCitizenError(err))
        return { result: problem('bad-image', `the photo cannot be decoded (${err.code})`, started) };
      throw new IdCardError('idcard/bad-image', 'the photo cannot be decoded', { cause: err });
    }
    if (!img || !(img.width > 0) || !(img.height > 0) || !(img.data instanceof Uint8Array)) {
      throw new IdCardError('idcard/bad-image', 'not a RasterImage');
    }
    if (Math.min(img.width, img.height) < 64)
      return { result: problem('too-small', 'the photo is too small to hold a readable card', started) };
    const maxDim = o.maxDimension ?? 2400;
    if (Math.max(img.width, img.height) > maxDim) {
      const s = maxDim / Math.max(img.width, img.height);
      img = resize(img, { width: Math.round(img.width * s), height: Math.round(img.height * s) });
    }
    const first = await this.#readOutlined(img, started);
    // the outline failed or is doubtful: the card placed from its MRZ, kept only when its MRZ then reads
    if (!this.#recognizer || !mrzOutlineWorthTrying(first)) return first;
    try {
      for (const choice of outlinesFromMrz(img)) {
        if (!cardLayout(choice.cls.type, choice.cls.side).mrz) continue;
        if (first.result.status === 'read' && choice.cls.score < first.result.classification.score) continue;
        const again = await this.#readChosen(img, choice, started);
        if (again.result.status !== 'read' || !mrzHolds(again.raw?.mrz, this.#options.today)) continue;
        again.result.issues.push(
          issue(
            'idcard/outline-from-mrz',
            'info',
            "the card's outline was not found in the photo: the card was placed from its machine-readable zone",
          ),
        );
        return again;
      }
    } catch (err) {
      // the reader's own errors (closed, no OCR engine) stand; a fault of this second look leaves the first reading standing
      if (isSmartCitizenError(err) && err.code.startsWith('idcard/')) throw err;
    }
    first.result.ms = performance.now() - started;
    return first;
  }

  /** The side read within the outline of its edges ({@link findCardQuad} and the looks after it). */
  async #readOutlined(img: RasterImage, started: number): Promise<RawRead> {
    const o = this.#options;
    let found = findCardQuad(img);
    // an outline that needs a side of the photo: the lines a stronger edge hid may close the card inside it
    const second = found.status === 'cut-off' ? secondOutlineLook(img) : undefined;
    if (second) found = second.found;
    if (found.status === 'not-found')
      return { result: problem('no-card', 'no card outline was found in the photo', started) };
    const longSide = (q: Quad) =>
      Math.max(Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y), Math.hypot(q[2].x - q[3].x, q[2].y - q[3].y));
    const minCard = o.minCardPixels ?? 400;
    // still cut off: a whole card a sheet touches or overlaps has an outline that needs no side of the photo
    let inside = found.status === 'cut-off' ? insideOutlineLook(img, found.quad) : undefined;
    if (inside && longSide(inside.quad) < minCard) inside = undefined;
    if (found.status === 'cut-off' && !inside) {
      const result = problem('card-cut-off', 'the card runs off the edge of the photo', started, found.quad);
      // the card's QR code may still lie whole in the photo: its values can stand in for the unread print
      const qr = await this.#readQr(img);
      result.ms = performance.now() - started;
      return qr?.ok && qr.identity ? { result, raw: { lines: [], glare: new Set(), qr: qr.identity } } : { result };
    }
    const edgeQuad = inside?.quad ?? found.quad;
    if (longSide(edgeQuad) < minCard)
      return { result: problem('too-small', 'the card is too small in the photo: move closer', started, edgeQuad) };
    const alternatives = found.status === 'found' ? found.alternatives : [];
    // the edges' outline, a runner-up or the outline with one side moved: whichever looks most like a card
    let choice = inside ?? second?.chosen ?? chooseOutlineByLayout(img, edgeQuad, alternatives);
    if (!second && !inside && choice.cls.score < REPLACE_MIN) {
      // not like a card: the card's own edge may be a line a stronger edge beside it hid
      const again = secondOutlineLook(img);
      if (again && again.chosen.cls.score > choice.cls.score && longSide(again.found.quad) >= minCard)
        choice = again.chosen;
    }
    if (choice.cls.score < (o.minLayoutScore ?? 0.2)) {
      const { quad, cls } = choice;
      const q: Quad = cls.turned ? [quad[2], quad[3], quad[0], quad[1]] : quad;
      return { result: problem('unknown-card', 'the card does not look like a Vietnamese ID card', started, q) };
    }
    const first = await this.#readChosen(img, choice, started);
    return this.#readOtherOutlines(img, first, choice, edgeQuad, alternatives, started);
  }

  /** How plausible lines read under a card type are (`readingPlausibility` with the reader's name list and date). */
  #plausible(r: Pick<SideLines, 'lines' | 'mrz'>, type: CardType): ReadingPlausibility {
    return readingPlausibility(r.lines, r.mrz, {
      cardType: type,
      lexicon: this.#options.names,
      ...(this.#options.today ? { today: this.#options.today } : {}),
    });
  }

  /** How plausible a side's reading is under the type it was read as; `undefined` when it has no lines. */
  #plausibility(read: RawRead): ReadingPlausibility | undefined {
    const { result, raw } = read;
    if (result.status !== 'read' || !raw?.lines.length) return undefined;
    return this.#plausible(raw, result.documentType);
  }

  /**
   * A side whose reading is implausible (most fields failing their rules: an outline a few
   * millimetres off scores like a right one) is read again within the other outlines the photo
   * offers (`otherOutlines`); one replaces the first when its reading is plausible and explains
   * more of the card. A plausible first reading is returned as it is, at no cost.
   */
  async #readOtherOutlines(
    img: RasterImage,
    first: RawRead,
    choice: ClassifiedOutline,
    edgeQuad: Quad,
    alternatives: readonly Quad[],
    started: number,
  ): Promise<RawRead> {
    const p0 = this.#plausibility(first);
    if (!p0 || p0.score >= IMPLAUSIBLE_READING) return first;
    let best = { read: first, p: p0 };
    for (const other of otherOutlines(img, edgeQuad, alternatives, choice)) {
      const again = await this.#readChosen(img, other, started);
      const p = this.#plausibility(again);
      if (p && p.score >= IMPLAUSIBLE_READING && p.evidence >= best.p.evidence + CLEARLY_MORE)
        best = { read: again, p };
    }
    if (best.read === first) return first;
    best.read.result.issues.push(
      issue(
        'idcard/outline-from-reading',
        'info',
        "the card's fields did not read within the outline that looked most like a card: another outline of the photo was taken, within which they read",
      ),
    );
    return best.read;
  }

  /** The side read within an outline chosen and classified: registered to its layout, its lines and codes read. */
  async #readChosen(img: RasterImage, choice: ClassifiedOutline, started: number): Promise<RawRead> {
    const o = this.#options;
    const { quad, rect, turnedImage, cls } = choice;
    // a portrait's or print box's border taken for a faint card edge: move that side out to the layout's edge
    const register = (type: CardType, side: CardSide, turned: boolean) =>
      registerToLayout(
        img,
        turned ? [quad[2], quad[3], quad[0], quad[1]] : quad,
        turned ? turnedImage : rect.image,
        turned ? cardToPhoto(quad, true) : rect.toPhoto,
        cardLayout(type, side),
      );
    let chosen = { type: cls.type, side: cls.side, score: cls.score, reg: register(cls.type, cls.side, cls.turned) };
    const sharpness = cardSharpness(chosen.reg.image);
    if (sharpness < (o.minSharpness ?? 0.12))
      return {
        result: problem('too-blurred', 'the card is too blurred: hold still and focus', started, chosen.reg.quad),
      };
    const rec = this.#recognizer;
    let read: SideLines | undefined;
    if (rec) {
      read = await this.#readLines(rec, chosen.reg, cardLayout(cls.type, cls.side));
      // look-alike layouts scored almost alike by ink: the runner-up's lines are read too, and the
      // reading that finds more of the card's fields plausible (by the field rules) decides the type
      const ru = cls.runnerUp;
      if (cls.margin < READ_TYPE_BELOW && ru) {
        const other = { type: ru.type, side: ru.side, score: ru.score, reg: register(ru.type, ru.side, ru.turned) };
        const otherRead = await this.#readLines(rec, other.reg, cardLayout(ru.type, ru.side));
        const p = this.#plausible(otherRead, other.type);
        if (p.score >= PLAUSIBLE_READING && p.evidence > this.#plausible(read, chosen.type).evidence) {
          chosen = other;
          read = otherRead;
        }
      }
    }
    const layout = cardLayout(chosen.type, chosen.side);
    const reg = chosen.reg;
    const { image: card, quad: cardQuad, toPhoto } = reg;
    const issues: Issue[] = [];
    if (reg.moved)
      issues.push(
        issue(
          'idcard/outline-corrected',
          'info',
          `the card's ${reg.moved.edge} edge was moved out ${reg.moved.mm.toFixed(1)} mm to match the layout`,
        ),
      );
    if (cls.margin < 0.03)
      issues.push(
        issue('idcard/type-uncertain', 'warning', 'the card type is uncertain: another layout scores almost as well'),
      );
    const glare = new Set([...fieldsUnderGlare(card, layout), ...(read?.glared ?? [])]);
    for (const f of glare) issues.push(issue('idcard/glare', 'warning', 'glare over the field: tilt the card', f));
    const cut = (b: MmBox, pad = 0): CardCrop => cardCrop(card, toPhoto, b, pad);
    const raw: RawSide = {
      lines: read?.lines ?? [],
      glare,
      ...(read?.glared.length ? { glared: read.glared } : {}),
      ...(read?.mrz ? { mrz: read.mrz } : {}),
    };
    if (!rec)
      issues.push(
        issue(
          'idcard/ocr-not-configured',
          'info',
          'no line recogniser is configured: the printed fields were not read',
        ),
      );
    // the codes need no recogniser: without one their values are still the side's fields
    if (layout.qr && o.qr !== false) {
      const qr = await this.#readQr(crop(card, mmBoxToPx(layout.qr, QR_PAD_MM)));
      if (qr?.ok && qr.identity) raw.qr = qr.identity;
      else
        issues.push(
          issue('idcard/qr-unreadable', 'info', 'the QR code was not read: the printed fields are read alone', 'qr'),
        );
    }
    if (layout.pdf417 && o.qr !== false) {
      const code = await this.#readQr(crop(card, mmBoxToPx(layout.pdf417, QR_PAD_MM)), ['PDF417']);
      if (code?.ok && code.text && code.format === 'PDF417') {
        raw.barcode = { format: 'PDF417', text: code.text };
        // a payload in the QR's layout is a source like the QR (the qr package parses it when it is one)
        if (code.identity) raw.qr ??= code.identity;
      } else issues.push(issue('idcard/barcode-unreadable', 'info', 'the PDF417 barcode was not read', 'pdf417'));
    }
    const result: SideResult = {
      status: 'read',
      documentType: chosen.type,
      side: chosen.side,
      quad: cardQuad,
      classification: { score: chosen.score, margin: cls.margin },
      sharpness,
      fields: {},
      ...(layout.portrait ? { portrait: cut(layout.portrait) } : {}),
      ...(layout.fingerprints
        ? {
            fingerprints: {
              leftIndex: cut(layout.fingerprints.leftIndex),
              rightIndex: cut(layout.fingerprints.rightIndex),
            },
          }
        : {}),
      card,
      issues,
      ms: performance.now() - started,
    };
    return { result, raw };
  }

  /** The field lines (and the MRZ) of a registered card read under a layout. */
  async #readLines(rec: FieldLineRecognizer, reg: Registered, layout: CardLayout): Promise<SideLines> {
    const { image: card, toPhoto } = reg;
    // every line is sent at once: a pooled recogniser (two tesseract workers) reads them in parallel
    // a label printed just above the value (Căn cước 2024) must stay out of the crop: tesseract
    // reads nothing from a single line with another line's descenders along its top
    const lineBox = (f: (typeof layout.fields)[number], l: MmBox): MmBox => {
      const lb = f.label?.box;
      const above = lb && lb.y + lb.h <= l.y + 0.2 && lb.x < l.x + l.w && l.x < lb.x + lb.w;
      const gap = above ? Math.max(0, Math.min(LINE_PAD_MM, l.y - (lb.y + lb.h))) : LINE_PAD_MM;
      // but not the stacked marks of an upper-case value, which rise above the value's box
      const top = above && f.upperCase ? Math.max(gap, STACKED_MARKS_TOP_MM) : gap;
      return { x: l.x - LINE_PAD_MM, y: l.y - top, w: l.w + 2 * LINE_PAD_MM, h: l.h + top + LINE_PAD_MM };
    };
    const cut = (b: MmBox, pad = 0) => cardCrop(card, toPhoto, b, pad).image;
    // a crop under glare is read a second time with the highlight taken out (deglareLine)
    const readLine = async (
      image: RasterImage,
      f: (typeof layout.fields)[number],
    ): Promise<{ plain: RecognizedLine; clear: RecognizedLine | undefined; lost: boolean }> => {
      const plain = asLine(await rec.recognize(image, { field: f.field }));
      const clear = deglareLine(image);
      if (!clear) return { plain, clear: undefined, lost: false };
      if (!CLEARED_FORMATS.has(f.format)) return { plain, clear: undefined, lost: clear.printLost };
      // the recogniser is sure of stretched print it would doubt on a clean crop (a digit whose top
      // the highlight clipped read as another)
      const cleared = doubted(asLine(await rec.recognize(clear.image, { field: f.field })), GLARE_CONFIDENCE);
      return { plain, clear: cleared, lost: clear.printLost };
    };
    const reads = layout.fields.map((f) => Promise.all(f.lines.map((l) => readLine(cut(lineBox(f, l)), f))));
    const mrzReads = layout.mrz
      ? Promise.all(layout.mrz.map(async (l) => asLine(await rec.recognize(cut(l, 0.5), { field: 'mrz' }))))
      : undefined;
    const plain: FieldLines[] = [];
    const alternatives: GlareAlternatives[] = [];
    const printLost: CardFieldName[] = [];
    for (const [i, f] of layout.fields.entries()) {
      const read = await (reads[i] as (typeof reads)[number]);
      plain.push({ field: f.field, format: f.format, lines: read.map((r) => r.plain) });
      if (read.some((r) => r.clear)) alternatives.push({ field: f.field, clear: read.map((r) => r.clear) });
      if (read.some((r) => r.lost)) printLost.push(f.field);
    }
    const { lines, cleared } = alternatives.length
      ? chooseGlareReadings(plain, alternatives, await this.#lineFieldOptions(plain, layout.type))
      : { lines: plain, cleared: [] };
    const mrz = mrzReads ? await this.#mrzFromZone(card, layout, await mrzReads, this.#options.today) : undefined;
    const glared = [...new Set([...printLost, ...cleared])];
    return mrz ? { lines, mrz, glared } : { lines, glared };
  }

  /**
   * The MRZ from the layout's three line boxes; when a check digit fails there (a card outline a
   * few millimetres off skews the rectified card, so each box cuts across two printed lines), the
   * lines are looked for in the MRZ zone ({@link findMrzLines}) and read again. The second reading
   * is kept when it is valid and the first is not, or when more of its check digits hold.
   */
  async #mrzFromZone(
    card: RasterImage,
    layout: CardLayout,
    lines: RecognizedLine[],
    today: Date | undefined,
  ): Promise<MrzReading> {
    const opts = today ? { today } : {};
    const first = mrzFromLines(lines, opts);
    const rec = this.#recognizer;
    if (first.mrz?.valid || !layout.mrz || !rec) return first;
    const found = findMrzLines(card, layout.mrz);
    if (!found) return first;
    const again = mrzFromLines(
      await Promise.all(found.lines.map(async (l) => asLine(await rec.recognize(l, { field: 'mrz' })))),
      opts,
    );
    const kept = betterMrzReading(first, again);
    return { ...kept, readings: [kept.ocr, (kept === first ? again : first).ocr] };
  }

  /** Close the recogniser (the one given, or the one the reader created for `'builtin'`); idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#recognizer?.close?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
