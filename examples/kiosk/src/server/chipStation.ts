// The kiosk's chip reader: one card slot (a PC/SC reader, or a software slot in tests) watched
// for reader and card presence, one read at a time through @smart-citizen/chip's ChipReader
// (PACE with the CAN, BAC with the MRZ key, DG1/DG2/DG13, chip, active and passive
// authentication), and its state pushed to the kiosk page. A failed read becomes a guidance code
// from one table; nothing personal is kept here or logged (the reading goes back to the caller).
import type { AccessKey, CardTransport, ChipErrorCode, ChipReadResult, ChipStep } from '@smart-citizen/chip';
import { type ChipError, ChipReader, isChipError } from '@smart-citizen/chip';
import { HttpError } from './http.js';

/** Where the reader is: absent, empty, with a card, reading it, or done with it. */
export type ChipState = 'off' | 'no-reader' | 'ready' | 'card' | 'reading' | 'read' | 'error';

/** What a failed chip read tells the citizen (each code is a sentence of the app). */
export type ChipGuidanceCode =
  | 'chip/no-reader'
  | 'chip/no-card'
  | 'chip/no-key'
  | 'chip/busy'
  | 'chip/wrong-key'
  | 'chip/card-removed'
  | 'chip/timeout'
  | 'chip/unreadable'
  | 'chip/unsupported';

/** The reader's state as the kiosk page sees it (no personal data). */
export interface ChipStatus {
  state: ChipState;
  /** The reader's device name. */
  reader?: string;
  /** While reading: the step of the read. */
  step?: ChipStep;
  /** While reading: the fraction of the portrait (DG2, most of the bytes) read so far, 0–1. */
  progress?: number;
  /** After a failed read: why, as guidance. */
  code?: ChipGuidanceCode;
}

/** Presence in a slot: the reader (absent: none attached) and whether a card is on it. */
export interface ChipSlotState {
  reader?: string | undefined;
  card: boolean;
}

/** A card slot: a PC/SC reader (`createPcscSlot`) or a software slot (tests). */
export interface ChipSlot {
  /** Calls `listener` with the state now and after every change. */
  watch(listener: (state: ChipSlotState) => void): void;
  /** Connects to the card on the reader; the caller closes the transport. */
  connect(): Promise<CardTransport & { close(): Promise<void> }>;
  /** Stops watching and releases the reader. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createChipStation}. */
export interface ChipStationOptions {
  slot: ChipSlot;
  /** CSCA certificates (DER) passive authentication trusts. @default none: every chip is `no-trust-anchor` */
  cscas?: readonly Uint8Array[];
  /** Milliseconds one APDU may take. @default 5000 */
  timeoutMs?: number;
}

/** How long a failed read waits for the reader to say the card left (pcscd polls readers). */
const CARD_LEFT_WAIT_MS = 600;

/** A failed read, as guidance and HTTP status (one row per chip error code). */
const guidanceOf: Record<ChipErrorCode, { code: ChipGuidanceCode; status: number }> = {
  'chip/access-denied': { code: 'chip/wrong-key', status: 422 },
  // During a read a vanished transport is a card lifted off the reader (see read()).
  'chip/transport': { code: 'chip/card-removed', status: 409 },
  'chip/timeout': { code: 'chip/timeout', status: 504 },
  'chip/bad-response': { code: 'chip/unreadable', status: 422 },
  'chip/status': { code: 'chip/unreadable', status: 422 },
  'chip/secure-messaging': { code: 'chip/unreadable', status: 422 },
  'chip/bad-tlv': { code: 'chip/unreadable', status: 422 },
  'chip/bad-data': { code: 'chip/unreadable', status: 422 },
  'chip/file-too-large': { code: 'chip/unreadable', status: 422 },
  'chip/unsupported': { code: 'chip/unsupported', status: 422 },
  'chip/closed': { code: 'chip/busy', status: 409 },
};

const messages: Record<ChipGuidanceCode, string> = {
  'chip/no-reader': 'no chip reader is attached',
  'chip/no-card': 'no card on the reader',
  'chip/no-key': 'no access key: read the card QR first, or send the CAN or the MRZ key',
  'chip/busy': 'the reader is reading another card',
  'chip/wrong-key': 'the chip refused the access key (another card on the reader?)',
  'chip/card-removed': 'the card left the reader during the read',
  'chip/timeout': 'the chip stopped answering',
  'chip/unreadable': 'the chip answered something that is not a valid response',
  'chip/unsupported': 'the chip offers no access protocol this reader runs with the key given',
};

/** The HTTP error of a guidance code. */
export function chipError(code: ChipGuidanceCode, status: number): HttpError {
  return new HttpError(status, code, `chip: ${messages[code]}`);
}

/** The kiosk's chip reader. */
export interface ChipStation {
  status(): ChipStatus;
  /** Calls `listener` after every change of {@link status}; returns the unsubscribe function. */
  subscribe(listener: (status: ChipStatus) => void): () => void;
  /**
   * Reads and authenticates the card on the reader.
   * @throws HttpError with a {@link ChipGuidanceCode}: no reader, no card, busy, wrong key, card removed, timeout, unreadable, unsupported
   */
  read(key: AccessKey): Promise<ChipReadResult>;
  close(): Promise<void>;
}

/** Start watching a slot. */
export function createChipStation(options: ChipStationOptions): ChipStation {
  let slot: ChipSlotState = { card: false };
  let reading: { step?: ChipStep; progress?: number } | undefined;
  // The outcome of the last read of the card now on the reader (cleared when it leaves).
  let outcome: { state: 'read' } | { state: 'error'; code: ChipGuidanceCode } | undefined;
  let closed = false;
  const listeners = new Set<(s: ChipStatus) => void>();

  const status = (): ChipStatus => {
    const reader = slot.reader ? { reader: slot.reader } : {};
    if (closed) return { state: 'off' };
    if (reading) return { state: 'reading', ...reader, ...reading };
    if (!slot.reader) return { state: 'no-reader' };
    if (outcome?.state === 'error') return { state: 'error', ...reader, code: outcome.code };
    if (outcome && slot.card) return { state: 'read', ...reader };
    return { state: slot.card ? 'card' : 'ready', ...reader };
  };
  let lastSent = '';
  const emit = () => {
    const s = status();
    const text = JSON.stringify(s);
    if (text === lastSent) return;
    lastSent = text;
    for (const l of listeners) l(s);
  };

  const cardLeft = async (waitMs: number): Promise<boolean> => {
    for (const end = performance.now() + waitMs; slot.card && performance.now() < end; )
      await new Promise((r) => setTimeout(r, 50));
    return !slot.card;
  };

  /** The guidance of a chip error. */
  const guidance = async (err: ChipError): Promise<HttpError> => {
    // A card lifted in the middle of an APDU can come back as a cut or empty response rather
    // than a transport error: if the reader then reports no card, that is what happened.
    if (err.code !== 'chip/access-denied' && (await cardLeft(CARD_LEFT_WAIT_MS)))
      return chipError('chip/card-removed', 409);
    // 6982 (security status not satisfied) to an access step: the chip refused the key.
    if (err.code === 'chip/status' && err.details?.sw === '6982') return chipError('chip/wrong-key', 422);
    const row = guidanceOf[err.code];
    return chipError(row.code, row.status);
  };

  options.slot.watch((next) => {
    // A card put on or taken off the reader starts over (a guidance message is for that card).
    if (next.card !== slot.card || next.reader !== slot.reader) outcome = undefined;
    slot = { reader: next.reader, card: next.card };
    emit();
  });

  return {
    status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async read(key) {
      if (closed || !slot.reader) throw chipError('chip/no-reader', 503);
      if (reading) throw chipError('chip/busy', 409);
      if (!slot.card) throw chipError('chip/no-card', 409);
      reading = { step: 'card-access', progress: 0 };
      emit();
      let transport: (CardTransport & { close(): Promise<void> }) | undefined;
      let lastEmit = 0;
      try {
        try {
          transport = await options.slot.connect();
        } catch {
          // The card went away between the presence event and the connection.
          throw chipError('chip/no-card', 409);
        }
        const reader = await ChipReader.create({ transport, timeoutMs: options.timeoutMs ?? 5000 });
        const result = await reader.read({
          key,
          ...(options.cscas ? { cscas: options.cscas } : {}),
          onProgress: (p) => {
            if (!reading) return;
            if (p.type === 'step') reading.step = p.step;
            else if (p.file === 'DG2' && p.totalBytes > 0) reading.progress = Math.min(1, p.bytesRead / p.totalBytes);
            // At most ten updates a second to the page; every step change goes out.
            const now = performance.now();
            if (p.type === 'step' || now - lastEmit >= 100) {
              lastEmit = now;
              emit();
            }
          },
        });
        outcome = { state: 'read' };
        return result;
      } catch (err) {
        const failure = err instanceof HttpError ? err : isChipError(err) ? await guidance(err) : undefined;
        if (!failure) throw err;
        outcome = { state: 'error', code: failure.code as ChipGuidanceCode };
        throw failure;
      } finally {
        await transport?.close().catch(() => undefined);
        reading = undefined;
        emit();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      emit();
      listeners.clear();
      await options.slot.close();
    },
  };
}

/** How the kiosk gets its chip reader: none, PC/SC (required), PC/SC when pcscd answers, or a given slot. */
export type KioskChipOption = 'off' | 'pcsc' | 'auto' | { slot: ChipSlot };

/**
 * The kiosk's chip station for `option`; `undefined` when off (or `auto` found no PC/SC).
 * @throws Error for `pcsc` when PC/SC is not available (no pcsc-mini binary, no pcscd)
 */
export async function openChipStation(
  option: KioskChipOption,
  settings: { reader?: string; cscas?: readonly Uint8Array[] } = {},
): Promise<ChipStation | undefined> {
  if (option === 'off') return undefined;
  const cscas = settings.cscas ? { cscas: settings.cscas } : {};
  if (typeof option === 'object') return createChipStation({ slot: option.slot, ...cscas });
  const { createPcscSlot } = await import('./pcscSlot.js');
  const slot = await createPcscSlot(settings.reader ? { reader: settings.reader } : {});
  if (!slot) {
    if (option === 'pcsc') throw new Error('KIOSK_CHIP=pcsc but PC/SC is not available (libpcsclite, pcscd)');
    return undefined;
  }
  return createChipStation({ slot, ...cscas });
}

/** CSCA certificates from files (DER, or PEM with one or more certificates). */
export function parseCscaFiles(files: readonly Uint8Array[]): Uint8Array[] {
  return files.flatMap((bytes) => {
    const text = new TextDecoder('latin1').decode(bytes);
    if (!text.includes('-----BEGIN CERTIFICATE-----')) return [bytes];
    return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
      (m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')),
    );
  });
}
