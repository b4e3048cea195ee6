import { createConnection, type Socket } from 'node:net';
import { ChipError } from '../errors.js';

/** A card the bridge can serve: one APDU in, one response out. */
export interface VirtualIcc {
  process(apdu: Uint8Array): Uint8Array;
  /** Called on power off / reset. */
  reset?(): void;
}

/** Options of {@link connectVirtualCard}. */
export interface VirtualCardOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** vpcd's port for the virtual card; Debian's vsmartcard-vpcd listens on 35963 (reader 0) and 35964 (reader 1). @default 35963 */
  port?: number;
  /** Answer to reset the virtual card reports. @default an ISO 14443-4 style ATR */
  atr?: Uint8Array;
  /** Milliseconds to wait for pcscd to power the card up (its ATR request) before resolving. @default 5000 */
  powerUpWaitMs?: number;
}

/** A connected virtual card; `close()` pulls it out of the virtual reader. */
export interface VirtualCardConnection {
  close(): Promise<void>;
  /** APDUs answered. */
  readonly apdus: number;
}

const CTRL_OFF = 0;
const CTRL_ON = 1;
const CTRL_RESET = 2;
const CTRL_ATR = 4;
const DEFAULT_ATR = Uint8Array.of(0x3b, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x77, 0x81, 0x81, 0x00, 0x79);

/**
 * Put a software card into vsmartcard's virtual reader (vpcd, a pcsc-lite driver): connect to
 * vpcd's TCP port as the virtual ICC and answer its messages. The protocol: every message is a
 * 2-byte big-endian length and a payload; a 1-byte payload is a control message (0 power
 * off, 1 power on, 2 reset, 4 send the ATR), anything longer is a command APDU to answer.
 * @throws ChipError `chip/transport` when vpcd does not accept the connection
 */
export async function connectVirtualCard(
  card: VirtualIcc,
  options: VirtualCardOptions = {},
): Promise<VirtualCardConnection> {
  const atr = options.atr ?? DEFAULT_ATR;
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = createConnection({ host: options.host ?? '127.0.0.1', port: options.port ?? 35963 });
    s.once('connect', () => resolve(s));
    s.once('error', (cause) =>
      reject(
        new ChipError('chip/transport', 'vpcd is not listening (is pcscd with vsmartcard-vpcd running?)', { cause }),
      ),
    );
  });
  socket.setNoDelay(true);
  let buffered = new Uint8Array(0);
  let apdus = 0;
  // pcscd powers the card and asks for its ATR once it has seen it: only then can a reader connect.
  let powered: () => void = () => {};
  const poweredUp = new Promise<void>((resolve) => {
    powered = resolve;
  });
  const send = (payload: Uint8Array) => {
    const msg = new Uint8Array(2 + payload.length);
    msg[0] = payload.length >> 8;
    msg[1] = payload.length & 0xff;
    msg.set(payload, 2);
    socket.write(msg);
  };
  socket.on('data', (chunk: Uint8Array) => {
    const joined = new Uint8Array(buffered.length + chunk.length);
    joined.set(buffered);
    joined.set(chunk, buffered.length);
    buffered = joined;
    while (buffered.length >= 2) {
      const len = ((buffered[0] as number) << 8) | (buffered[1] as number);
      if (buffered.length < 2 + len) break;
      const payload = buffered.slice(2, 2 + len);
      buffered = buffered.slice(2 + len);
      if (len === 1) {
        const ctrl = payload[0];
        if (ctrl === CTRL_ATR) {
          send(atr);
          powered();
        } else if (ctrl === CTRL_OFF || ctrl === CTRL_RESET || ctrl === CTRL_ON) card.reset?.();
      } else if (len > 0) {
        apdus++;
        send(card.process(payload));
      }
    }
  });
  socket.on('error', () => {});
  await Promise.race([poweredUp, new Promise((r) => setTimeout(r, options.powerUpWaitMs ?? 5000))]);
  return {
    get apdus() {
      return apdus;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.end(() => resolve());
        socket.destroy();
      }),
  };
}
