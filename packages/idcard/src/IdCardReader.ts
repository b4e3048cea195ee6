import { type Issue, issue, isSmartCitizenError, safeParseMrz, type ParsedMrz } from '@smart-citizen/core';
import { applyHomography, crop, decodeImage, type Point, type RasterImage, resize } from '@smart-citizen/image';
import type { CardFieldName, CardSide, CardType } from './cardTypes.js';
import { IdCardError } from './errors.js';
import { classifyCard } from './geometry/classifyCard.js';
import { findCardQuad, type Quad } from './geometry/findCardQuad.js';
import { cardSharpness, fieldsUnderGlare } from './geometry/quality.js';
import { rectifyCard, rotate180 } from './geometry/rectify.js';
import type { MmBox } from './layout/CardLayout.js';
import { mmBoxToPx, type PxBox } from './layout/canonical.js';
import { cardLayout } from './layout/layouts.js';

/** A card photo: encoded bytes (JPEG, PNG, WebP, BMP) or decoded pixels. */
export type CardImageInput = Uint8Array | RasterImage;

/** What a field line recogniser returns (the shape of idcard's OCR engines). */
export interface RecognizedText {
  text: string;
  /** 0–1. */
  confidence: number;
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
   * and crops the card, and says so with an `idcard/ocr-not-configured` info issue.
   */
  recognizer?: FieldLineRecognizer;
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
}

/** A picture cut from the card, with where it is. */
export interface CardCrop {
  image: RasterImage;
  /** Box in the rectified card (canonical 12 px/mm pixels). */
  box: PxBox;
  /** Its four corners in the photo. */
  quad: [Point, Point, Point, Point];
}

/** One field read from its line crops. */
export interface FieldValue {
  value: string;
  confidence: number;
  /** The crop lay under glare: the value may be incomplete. */
  underGlare?: boolean;
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
      portrait?: CardCrop;
      fingerprints?: { leftIndex: CardCrop; rightIndex: CardCrop };
      /** The rectified card (RGB, canonical size). */
      card: RasterImage;
      issues: Issue[];
      ms: number;
    }
  | { status: SideProblem; issues: Issue[]; ms: number; quad?: Quad };

/** Result of {@link IdCardReader.read}. */
export interface IdCardReadResult {
  front?: SideResult;
  back?: SideResult;
  /** Problems across the two sides (types or sides that do not match). */
  issues: Issue[];
}

const LINE_PAD_MM = 0.7;

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
  #closed = false;

  private constructor(options: IdCardReaderOptions) {
    this.#options = options;
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
    return new IdCardReader(options);
  }

  /**
   * Read the front and/or the back of a card.
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
    if (input.front !== undefined) result.front = await this.readSide(input.front);
    if (input.back !== undefined) result.back = await this.readSide(input.back);
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
   * Read one photo of one side.
   *
   * @param input - Encoded photo or pixels.
   */
  async readSide(input: CardImageInput): Promise<SideResult> {
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
        return problem('image-too-large', 'the photo has too many pixels', started);
      if (isSmartCitizenError(err)) return problem('bad-image', `the photo cannot be decoded (${err.code})`, started);
      throw new IdCardError('idcard/bad-image', 'the photo cannot be decoded', { cause: err });
    }
    if (!img || !(img.width > 0) || !(img.height > 0) || !(img.data instanceof Uint8Array)) {
      throw new IdCardError('idcard/bad-image', 'not a RasterImage');
    }
    if (Math.min(img.width, img.height) < 64)
      return problem('too-small', 'the photo is too small to hold a readable card', started);
    const maxDim = o.maxDimension ?? 2400;
    if (Math.max(img.width, img.height) > maxDim) {
      const s = maxDim / Math.max(img.width, img.height);
      img = resize(img, { width: Math.round(img.width * s), height: Math.round(img.height * s) });
    }
    const found = findCardQuad(img);
    if (found.status === 'not-found') return problem('no-card', 'no card outline was found in the photo', started);
    if (found.status === 'cut-off')
      return problem('card-cut-off', 'the card runs off the edge of the photo', started, found.quad);
    const quad = found.quad;
    const longSide = Math.max(
      Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y),
      Math.hypot(quad[2].x - quad[3].x, quad[2].y - quad[3].y),
    );
    if (longSide < (o.minCardPixels ?? 400))
      return problem('too-small', 'the card is too small in the photo: move closer', started, quad);
    const rect = rectifyCard(img, quad);
    const turnedImage = rotate180(rect.image);
    const cls = classifyCard(rect.image, turnedImage);
    const card = cls.turned ? turnedImage : rect.image;
    const cardQuad: Quad = cls.turned ? [quad[2], quad[3], quad[0], quad[1]] : quad;
    const toPhoto = cls.turned ? rectifyCard(img, quad, true).toPhoto : rect.toPhoto;
    if (cls.score < (o.minLayoutScore ?? 0.2))
      return problem('unknown-card', 'the card does not look like a Vietnamese ID card', started, cardQuad);
    const sharpness = cardSharpness(card);
    if (sharpness < (o.minSharpness ?? 0.12))
      return problem('too-blurred', 'the card is too blurred: hold still and focus', started, cardQuad);
    const layout = cardLayout(cls.type, cls.side);
    const issues: Issue[] = [];
    if (cls.margin < 0.03)
      issues.push(
        issue('idcard/type-uncertain', 'warning', 'the card type is uncertain: another layout scores almost as well'),
      );
    const glare = new Set(fieldsUnderGlare(card, layout));
    for (const f of glare) issues.push(issue('idcard/glare', 'warning', 'glare over the field: tilt the card', f));
    const cut = (b: MmBox, pad = 0): CardCrop => {
      const box = mmBoxToPx(b, pad);
      const corners = [
        { x: box.x, y: box.y },
        { x: box.x + box.width, y: box.y },
        { x: box.x + box.width, y: box.y + box.height },
        { x: box.x, y: box.y + box.height },
      ].map((p) => applyHomography(toPhoto, p)) as [Point, Point, Point, Point];
      return { image: crop(card, box), box, quad: corners };
    };
    const fields: Partial<Record<CardFieldName, FieldValue>> = {};
    let mrz: ParsedMrz | undefined;
    const rec = o.recognizer;
    if (rec) {
      for (const f of layout.fields) {
        const lines = [];
        for (const l of f.lines) lines.push(await rec.recognize(cut(l, LINE_PAD_MM).image, { field: f.field }));
        const value = lines
          .map((l) => l.text.trim())
          .filter(Boolean)
          .join(' ');
        fields[f.field] = {
          value,
          confidence: Math.min(...lines.map((l) => l.confidence)),
          ...(glare.has(f.field) ? { underGlare: true } : {}),
        };
      }
      if (layout.mrz) {
        const lines = [];
        for (const l of layout.mrz) lines.push((await rec.recognize(cut(l, 0.5).image, { field: 'mrz' })).text);
        const parsed = safeParseMrz(lines);
        if (parsed.ok) mrz = parsed.value;
        else
          issues.push(
            issue('idcard/mrz-unreadable', 'warning', `the MRZ could not be read (${parsed.error.code})`, 'mrz'),
          );
      }
    } else {
      issues.push(issue('idcard/ocr-not-configured', 'info', 'no line recogniser is configured: fields were not read'));
    }
    return {
      status: 'read',
      documentType: cls.type,
      side: cls.side,
      quad: cardQuad,
      classification: { score: cls.score, margin: cls.margin },
      sharpness,
      fields,
      ...(mrz ? { mrz } : {}),
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
  }

  /** Release the recogniser; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#options.recognizer?.close?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
