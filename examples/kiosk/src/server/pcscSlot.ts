// The kiosk's PC/SC card slot: pcsc-mini watches the readers pcscd knows and the card on the one
// the kiosk uses; a read connects through @smart-citizen/chip's node transport
// (createPcscTransport), as any integrator's code would.
import { createPcscTransport } from '@smart-citizen/chip/node';
import type { ChipSlot, ChipSlotState } from './chipStation.js';

/** Options of {@link createPcscSlot}. */
export interface PcscSlotOptions {
  /** Use the first reader whose name contains this text (case-insensitive). @default the first reader */
  reader?: string;
  /** Milliseconds a read waits for the connection to the card. @default 3000 */
  connectWaitMs?: number;
}

type PcscMini = typeof import('pcsc-mini');

/** pcsc-mini, or `undefined` when it (or libpcsclite) cannot be loaded. */
async function loadPcsc(): Promise<PcscMini | undefined> {
  try {
    const m = (await import('pcsc-mini')) as PcscMini & { default?: PcscMini };
    return m.Client ? m : m.default;
  } catch {
    return undefined;
  }
}

/**
 * Watch PC/SC readers. Resolves `undefined` when PC/SC is not there at all (no pcsc-mini binary,
 * no libpcsclite, or pcscd refusing the context within `probeMs`), so `auto` can leave the chip off.
 * @param probeMs - how long to wait for pcscd to refuse. @default 1000
 */
export async function createPcscSlot(options: PcscSlotOptions = {}, probeMs = 1000): Promise<ChipSlot | undefined> {
  const pcsc = await loadPcsc();
  if (!pcsc) return undefined;
  const wanted = options.reader?.toLowerCase();
  const client = new pcsc.Client();
  const listeners: ((s: ChipSlotState) => void)[] = [];
  // Readers seen, and whether each holds a card; the slot is the first matching one still attached.
  const readers = new Map<string, boolean>();
  let current: ChipSlotState = { card: false };
  const update = () => {
    const name = [...readers.keys()][0];
    const next: ChipSlotState = { reader: name, card: name !== undefined && readers.get(name) === true };
    if (next.reader === current.reader && next.card === current.card) return;
    current = next;
    for (const l of listeners) l(current);
  };
  let failed = false;
  let seen: () => void = () => undefined;
  const refused = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), probeMs);
    // A reader answering is proof enough that pcscd is there.
    seen = () => {
      clearTimeout(timer);
      resolve(false);
    };
    client.on('error', () => {
      failed = true;
      clearTimeout(timer);
      readers.clear();
      update();
      resolve(true);
    });
  });
  client.on('reader', (reader) => {
    const name = reader.name();
    if (wanted && !name.toLowerCase().includes(wanted)) return;
    readers.set(name, false);
    update();
    seen();
    reader.on('change', (status) => {
      readers.set(
        name,
        status.has(pcsc.ReaderStatus.PRESENT) && !status.hasAny(pcsc.ReaderStatus.MUTE, pcsc.ReaderStatus.UNAVAILABLE),
      );
      update();
    });
    reader.on('disconnect', () => {
      readers.delete(name);
      update();
    });
  });
  client.start();
  if ((await refused) && failed) {
    client.stop();
    return undefined;
  }
  let closed = false;
  return {
    watch(listener) {
      listeners.push(listener);
      listener(current);
    },
    async connect() {
      if (!current.reader) throw new Error('no reader');
      return createPcscTransport({ reader: current.reader, waitMs: options.connectWaitMs ?? 3000 });
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.length = 0;
      client.stop();
    },
  };
}
