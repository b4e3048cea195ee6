import type { CardTransport } from '../CardTransport.js';
import { ChipError } from '../errors.js';

/** Options of {@link createPcscTransport}. */
export interface PcscTransportOptions {
  /** Use the first reader whose name contains this text (case-insensitive). @default the first reader with a card */
  reader?: string;
  /** Milliseconds to wait for a reader with a card. @default 10000 */
  waitMs?: number;
}

/** A connected PC/SC card. */
export interface PcscTransport extends CardTransport {
  readonly readerName: string;
  /** Answer to reset of the card. */
  readonly atr: Uint8Array;
  close(): Promise<void>;
}

type PcscMini = typeof import('pcsc-mini');

async function loadPcsc(): Promise<PcscMini> {
  try {
    const m = (await import('pcsc-mini')) as PcscMini & { default?: PcscMini };
    return m.Client ? m : (m.default as PcscMini);
  } catch (cause) {
    throw new ChipError(
      'chip/transport',
      'pcsc-mini is not installed or its native binary does not load (install pcsc-mini and libpcsclite1)',
      { cause },
    );
  }
}

/**
 * Connect to a card in a PC/SC reader through pcsc-mini (prebuilt N-API binaries over
 * pcsc-lite on Linux, winscard on Windows, CryptoTokenKit on macOS). Needs a running `pcscd`
 * on Linux.
 * @throws ChipError `chip/transport` when no matching reader with a card appears within `waitMs`
 */
export async function createPcscTransport(options: PcscTransportOptions = {}): Promise<PcscTransport> {
  const pcsc = await loadPcsc();
  const wanted = options.reader?.toLowerCase();
  const waitMs = options.waitMs ?? 10_000;
  const client = new pcsc.Client();
  const seen: string[] = [];
  let gone = false;
  const connected = await new Promise<{ card: InstanceType<PcscMini['Card']>; reader: string }>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      client.stop();
      reject(
        new ChipError(
          'chip/transport',
          `no PC/SC reader${wanted ? ` matching "${options.reader}"` : ''} with a card within ${waitMs} ms`,
          {
            details: { readers: seen },
          },
        ),
      );
    }, waitMs);
    client.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.stop();
      reject(new ChipError('chip/transport', 'PC/SC is not available (is pcscd running?)', { cause: err }));
    });
    client.on('reader', (reader) => {
      const name = reader.name();
      seen.push(name);
      if (wanted && !name.toLowerCase().includes(wanted)) return;
      reader.on('disconnect', () => {
        gone = true;
      });
      reader.on('change', (status) => {
        if (settled || !status.has(pcsc.ReaderStatus.PRESENT) || status.hasAny(pcsc.ReaderStatus.MUTE)) return;
        settled = true;
        clearTimeout(timer);
        reader.connect(pcsc.CardMode.SHARED).then(
          (card) => resolve({ card, reader: name }),
          (err) => {
            client.stop();
            reject(new ChipError('chip/transport', 'could not connect to the card', { cause: err }));
          },
        );
      });
    });
    client.start();
  });
  const { card, reader } = connected;
  const state = await card.state();
  let closed = false;
  return {
    readerName: reader,
    atr: state.atr,
    async transmit(apdu: Uint8Array): Promise<Uint8Array> {
      if (closed) throw new ChipError('chip/closed', 'PC/SC transport was closed');
      if (gone) throw new ChipError('chip/transport', 'the reader was disconnected');
      return card.transmit(apdu);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await card.disconnect(pcsc.CardDisposition.RESET);
      } catch {
        // the card or reader is already gone
      }
      client.stop();
    },
  };
}
