// The kiosk's path for a card without a QR code (old CMND, CCCD 2016, a damaged code): the
// citizen photographs the card and the server reads the printed text with @smart-citizen/idcard's
// IdCardReader (tesseract.js line OCR). What a photo gives is assessed here, without HTTP: the
// identity to confirm, or what to photograph next and why (the reader's own issue codes).
import { availableParallelism } from 'node:os';
import {
  type AuditLog,
  type CitizenIdentity,
  type CitizenRecord,
  compareWithRecord,
  type DocumentReading,
  type EvidenceVerifiers,
  equalsVietnamese,
  formatDate,
  type IdentityStore,
  type Issue,
} from '@smart-citizen/core';
import {
  type CardType,
  cardLayout,
  IdCardReader,
  LOW_CONFIDENCE,
  mrzReadingEvidence,
  idcardEvidenceVerifiers,
  ocrReadingEvidence,
  type SideResult,
} from '@smart-citizen/idcard';
import { encodePng } from '@smart-citizen/image';
import { HttpError } from './http.js';

/** A side the reader could read. */
export type ReadSide = Extract<SideResult, { status: 'read' }>;

/**
 * The identity fields the kiosk takes from a card read by OCR: the ones that name the citizen.
 * Everything else (addresses, issue place…) comes from the identity store, so a doubtful reading
 * of a field the kiosk does not use neither shows nor sends the decision to review.
 */
export const NAMING_FIELDS = ['idNumber', 'oldIdNumber', 'fullName', 'dateOfBirth', 'sex'] as const;
type NamingField = (typeof NAMING_FIELDS)[number];
/** The printed field each naming field is read from (the 9-digit CMND number is printed as `idNumber`). */
const PRINTED: Record<NamingField, string> = {
  idNumber: 'idNumber',
  oldIdNumber: 'idNumber',
  fullName: 'fullName',
  dateOfBirth: 'dateOfBirth',
  sex: 'sex',
};

/**
 * Creates the one IdCardReader the server shares between kiosks. tesseract.js workers start on
 * the first read (none at start-up): `workers` per language (vie for text, eng for digits), by
 * default one per language per two cores, at most two, so a read keeps the machine's cores busy
 * without starving the face verifier.
 */
export function createCardOcrReader(options: { workers?: number } = {}): Promise<IdCardReader> {
  const workers = options.workers ?? Math.max(1, Math.min(2, Math.floor(availableParallelism() / 2)));
  return IdCardReader.create({ recognizer: 'builtin', lineRecognizer: { tesseractWorkers: workers } });
}

/**
 * Restricts a reading to the {@link NAMING_FIELDS} it holds and to the issues about those. A field
 * left out (doubted by the reader) takes its issues along: it is not evidence, so its doubt is no
 * finding of the decision (the card step asks for another photo or checks it against the record).
 */
function naming(reading: DocumentReading): DocumentReading {
  const fields: Partial<CitizenIdentity> = {};
  const printed = new Set<string>();
  for (const f of NAMING_FIELDS) {
    if (reading.fields[f] === undefined) continue;
    (fields as Record<string, unknown>)[f] = reading.fields[f];
    printed.add(PRINTED[f]);
  }
  // The card type is not used (the number's own rules say CMND or CCCD): a type the reader is
  // unsure of among fronts that share one grid does not concern the naming fields.
  const issues = reading.issues.filter((i) => i.path !== undefined && printed.has(i.path));
  return { ...reading, fields, issues };
}

/** The card photos of a session so far (the last read of each side). */
export interface CardPhotos {
  front?: ReadSide;
  back?: ReadSide;
}

/** What the photos give: the evidence and the identity to confirm, or the next photo to take. */
export type CardAssessment =
  | {
      status: 'read';
      /** The printed fields that name the citizen, as `ocr` evidence (what the decision's `ocr` verifier returns). */
      reading: DocumentReading;
      /** The back's MRZ when one was read (the decision re-parses it as `mrz` evidence). */
      mrzText?: string;
      /** Front's values first, the MRZ's where the front's were not readable. */
      identity: Partial<CitizenIdentity>;
      /**
       * The printed name as read when the reader doubts it (then not in `identity` nor in the
       * evidence): it must equal the record's name without diacritics.
       */
      doubtfulName?: string;
      cardType: CardType;
      issues: string[];
    }
  | { status: 'retake'; side: 'front' | 'back'; issues: string[] };

const codes = (issues: readonly Issue[]) => [...new Set(issues.map((i) => i.code))];

/**
 * Guidance for a photo the reader could not use: its status as an `idcard/…` code (`no-card`,
 * `card-cut-off`, `too-small`, `too-blurred`, `unknown-card`, `bad-image`, `image-too-large`).
 */
export function photoProblem(side: Exclude<SideResult, ReadSide>): string[] {
  return [`idcard/${side.status}`, ...codes(side.issues).filter((c) => c !== `idcard/${side.status}`)];
}

/**
 * Assess the card photos: the front is needed (printed identity, portrait); a side that is not
 * readable enough to name the citizen asks for a better photo, saying why (glare over a field,
 * a field the reader doubts), or for the back when the card carries an MRZ there that can stand
 * in for the doubtful printed fields (CCCD 2021, Căn cước 2024).
 */
export function assessCardPhotos(photos: CardPhotos): CardAssessment {
  const { front, back } = photos;
  if (!front) return { status: 'retake', side: 'front', issues: ['kiosk/show-front'] };
  const ocr = naming(ocrReadingEvidence({ front, ...(back ? { back } : {}), issues: [] }));
  const mrz = back?.mrz?.valid ? naming(mrzReadingEvidence(back.mrz)) : undefined;
  const identity: Partial<CitizenIdentity> = { ...mrz?.fields, ...ocr.fields };
  // A 9-digit CMND number names the citizen as well as the 12-digit one does (the store keeps both).
  if (identity.idNumber && identity.oldIdNumber && !ocr.fields.oldIdNumber) delete identity.oldIdNumber;
  // A name the reader doubts (a stacked mark misread) is still checked against the record, as
  // its text without diacritics; a number or date of birth it doubts is not.
  const doubtfulName = identity.fullName === undefined ? front.fields.fullName?.text.trim() || undefined : undefined;
  const missing = (['idNumber', 'fullName', 'dateOfBirth'] as const).filter((f) =>
    f === 'idNumber'
      ? !identity.idNumber && !identity.oldIdNumber
      : f === 'fullName'
        ? identity.fullName === undefined && doubtfulName === undefined
        : identity[f] === undefined,
  );
  if (missing.length > 0) {
    const why = new Set<string>();
    for (const f of missing) {
      const v = front.fields[f];
      if (v?.underGlare) why.add('idcard/glare');
      else if (v && v.confidence < LOW_CONFIDENCE) why.add('idcard/low-confidence');
      else why.add('kiosk/field-unreadable');
    }
    const backHasMrz = cardLayout(front.documentType, 'back').mrz !== undefined;
    if (backHasMrz && !mrz) return { status: 'retake', side: 'back', issues: ['kiosk/show-back', ...why] };
    return { status: 'retake', side: 'front', issues: [...why] };
  }
  if (back && back.documentType !== front.documentType)
    return { status: 'retake', side: 'back', issues: ['idcard/type-mismatch'] };
  const issues = [...codes(ocr.issues), ...(mrz ? codes(mrz.issues) : [])];
  return {
    status: 'read',
    reading: ocr,
    ...(mrz && back?.mrz ? { mrzText: back.mrz.lines.join('\n') } : {}),
    identity,
    ...(doubtfulName !== undefined ? { doubtfulName } : {}),
    cardType: front.documentType,
    issues,
  };
}

/** Puts a read side into its slot (by the side the reader saw, whatever the kiosk asked for). */
export function addCardPhoto(photos: CardPhotos, side: ReadSide): CardPhotos {
  return side.side === 'front' ? { ...photos, front: side } : { ...photos, back: side };
}

/** The card as the decision uses it: the front still and what the server read from it. */
export interface OcrCard {
  /** The front still (kept in the session's memory until the decision, never stored). */
  image: Uint8Array;
  reading: DocumentReading;
  mrzText?: string;
}

/** A session's card photos so far. */
export interface CardPhotoState {
  photos: CardPhotos;
  /** The still of the front read in `photos.front`. */
  frontImage?: Uint8Array;
  attempts: number;
}

/**
 * The decision's `ocr` and `mrz` verifiers for a card read at the card step: `ocr` answers with
 * the reading the server made of that very still (the photo is not read twice), anything else
 * is unreadable; `mrz` re-parses the text (idcard's verifier).
 */
export function cardOcrVerifiers(card: OcrCard, today: Date): Pick<EvidenceVerifiers, 'ocr' | 'mrz'> {
  return {
    ...(card.mrzText !== undefined ? { mrz: idcardEvidenceVerifiers({ today }).mrz } : {}),
    async ocr(image: Uint8Array) {
      if (image !== card.image) throw new RangeError('not the still read at the card step');
      return card.reading;
    },
  };
}

/** What the card-photo step answers the kiosk (no scores; the identity only when the card was read). */
export type CardPhotoAnswer =
  | {
      status: 'read';
      known: boolean;
      identity: { idNumber: string; fullName: string; dateOfBirth: string; sex: 'M' | 'F' | 'unknown' };
      cardType: CardType;
      portrait: boolean;
      issues: string[];
    }
  | { status: 'retake'; side: 'front' | 'back'; issues: string[]; attemptsLeft: number };

/** Resources of {@link readCardPhoto}. */
export interface CardPhotoDeps {
  reader: IdCardReader;
  store: IdentityStore;
  audit: AuditLog;
  actor: string;
  purpose: string;
  /** Cut the portrait for the face step. */
  portrait: boolean;
  /** Photos a session may send. */
  maxAttempts: number;
}

/** Reader statuses of a photo without a card in it. */
const NO_CARD = new Set<SideResult['status']>(['no-card', 'bad-image', 'image-too-large']);

/** The citizen the read number names: by the 12-digit number, else by the old CMND number (one record only). */
async function lookUp(store: IdentityStore, identity: Partial<CitizenIdentity>): Promise<CitizenRecord | undefined> {
  if (identity.idNumber) return store.get(identity.idNumber);
  if (!identity.oldIdNumber) return undefined;
  const found = await store.findByOldIdNumber(identity.oldIdNumber);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * One photo of the card: read it, assess the photos so far, look the citizen up and cross-check
 * the printed name and date of birth with the record. A record that disagrees is not shown: the
 * citizen is asked for a better photo (a misread is the likelier cause) until the attempts run
 * out. The read (its outcome, never a field) is audited.
 * @returns the answer, and for a read card what the session keeps.
 */
export async function readCardPhoto(
  deps: CardPhotoDeps,
  state: CardPhotoState,
  image: Uint8Array,
  sessionId: string,
): Promise<{ answer: CardPhotoAnswer; card?: OcrCard; record?: CitizenRecord; portrait?: Uint8Array }> {
  if (state.attempts >= deps.maxAttempts)
    throw new HttpError(429, 'session/too-many-attempts', 'the card could not be read: ask at the desk');
  const side = await deps.reader.readSide(image);
  // A photo in which no card was found (the citizen had not held it up yet) costs little and
  // does not count; every photo with a card in it does.
  if (!NO_CARD.has(side.status)) state.attempts++;
  const attemptsLeft = Math.max(0, deps.maxAttempts - state.attempts);
  const retake = (want: 'front' | 'back', issues: string[]) => ({
    answer: { status: 'retake' as const, side: want, issues, attemptsLeft },
  });
  const audit = (outcome: string, subject: string | null, details: Record<string, string> = {}) =>
    deps.audit.append({
      actor: deps.actor,
      action: 'card.ocr-read',
      ...(subject ? { subject } : {}),
      purpose: deps.purpose,
      details: { outcome, session: sessionId, ...details },
    });
  if (side.status !== 'read') {
    await audit(side.status, null);
    return retake(state.photos.front ? 'back' : 'front', photoProblem(side));
  }
  state.photos = addCardPhoto(state.photos, side);
  if (side.side === 'front') state.frontImage = image;
  const a = assessCardPhotos(state.photos);
  if (a.status === 'retake') {
    await audit(`retake-${a.side}`, null, { cardType: side.documentType });
    return retake(a.side, a.issues);
  }
  const record = await lookUp(deps.store, a.identity);
  const disagree = record ? compareWithRecord(a.identity, record.identity).filter((i) => i.severity !== 'info') : [];
  if (
    a.doubtfulName !== undefined &&
    !(record && equalsVietnamese(a.doubtfulName, record.identity.fullName ?? '', { ignoreDiacritics: true }))
  ) {
    // Without a record to agree with, a doubtful name cannot be shown as the citizen's.
    await audit(record ? 'differs-from-record' : 'name-doubtful', null, { cardType: a.cardType });
    if (record) state.photos = {};
    return retake('front', [record ? 'kiosk/card-differs-from-record' : 'idcard/low-confidence']);
  }
  await audit(
    record ? (disagree.length ? 'differs-from-record' : 'found') : 'not-found',
    record?.identity.idNumber ?? null,
    {
      cardType: a.cardType,
    },
  );
  if (disagree.length > 0) {
    // Start over: a photo that disagreed with the record is not kept as the card.
    state.photos = {};
    return retake('front', ['kiosk/card-differs-from-record']);
  }
  const front = state.photos.front as ReadSide;
  const portrait = deps.portrait && front.portrait ? encodePng(front.portrait.image) : undefined;
  const dob = a.identity.dateOfBirth;
  const answer: CardPhotoAnswer = {
    status: 'read',
    known: record !== undefined,
    identity: {
      idNumber: a.identity.idNumber ?? a.identity.oldIdNumber ?? '',
      // The record's spelling when the printed name was read without sure diacritics (it agreed without them).
      fullName: a.identity.fullName ?? record?.identity.fullName ?? '',
      dateOfBirth: dob ? formatDate(dob) : '',
      sex: a.identity.sex === 'M' || a.identity.sex === 'F' ? a.identity.sex : 'unknown',
    },
    cardType: a.cardType,
    portrait: portrait !== undefined,
    issues: a.issues,
  };
  const card: OcrCard = {
    image: state.frontImage as Uint8Array,
    reading: a.reading,
    ...(a.mrzText ? { mrzText: a.mrzText } : {}),
  };
  return { answer, card, ...(record ? { record } : {}), ...(portrait ? { portrait } : {}) };
}
