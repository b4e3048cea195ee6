import { ChipError } from './errors.js';

/** A command APDU (ISO/IEC 7816-4). */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Nc = its length, at most 65,535). */
  data?: Uint8Array;
  /** Ne: how many response bytes are expected, 1–65,536; absent when none. 256 (short) or 65,536 (extended) means "as many as there are". */
  ne?: number;
}

/** A response APDU split into its data and status word. */
export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 SW2 as one number, e.g. `0x9000`. */
  sw: number;
}

/**
 * Encode a command APDU, choosing short length when Nc ≤ 255 and Ne ≤ 256 and extended length
 * otherwise (or always, with `extended`).
 */
export function encodeApdu(c: CommandApdu, options: { extended?: boolean } = {}): Uint8Array {
  const nc = c.data?.length ?? 0;
  const ne = c.ne;
  if (nc > 65535) throw new RangeError(`APDU data of ${nc} bytes is longer than 65,535`);
  if (ne !== undefined && !(Number.isInteger(ne) && ne >= 1 && ne <= 65536))
    throw new RangeError(`APDU Ne ${ne} is not in 1..65536`);
  const extended = options.extended === true || nc > 255 || (ne ?? 0) > 256;
  const out: number[] = [c.cla & 0xff, c.ins & 0xff, c.p1 & 0xff, c.p2 & 0xff];
  if (nc > 0) {
    if (extended) out.push(0, nc >> 8, nc & 0xff);
    else out.push(nc);
  }
  const head = Uint8Array.from(out);
  let le: number[] = [];
  if (ne !== undefined) {
    if (extended) le = nc > 0 ? [(ne >> 8) & 0xff, ne & 0xff] : [0, (ne >> 8) & 0xff, ne & 0xff];
    else le = [ne & 0xff];
  }
  const apdu = new Uint8Array(head.length + nc + le.length);
  apdu.set(head);
  if (c.data) apdu.set(c.data, head.length);
  apdu.set(le, head.length + nc);
  return apdu;
}

/**
 * Decode a command APDU (the software card's side). Returns `undefined` for bytes that are
 * not a well-formed APDU (the card then answers 6700).
 */
export function decodeApdu(b: Uint8Array): CommandApdu | undefined {
  if (b.length < 4) return undefined;
  const c: CommandApdu = { cla: b[0] as number, ins: b[1] as number, p1: b[2] as number, p2: b[3] as number };
  const rest = b.length - 4;
  if (rest === 0) return c;
  const b4 = b[4] as number;
  if (rest === 1) return { ...c, ne: b4 === 0 ? 256 : b4 };
  if (b4 !== 0) {
    // short: Lc data [Le]
    if (rest === 1 + b4) return { ...c, data: b.slice(5, 5 + b4) };
    if (rest === 2 + b4) {
      const le = b[5 + b4] as number;
      return { ...c, data: b.slice(5, 5 + b4), ne: le === 0 ? 256 : le };
    }
    return undefined;
  }
  // extended
  if (rest === 3) {
    const le = ((b[5] as number) << 8) | (b[6] as number);
    return { ...c, ne: le === 0 ? 65536 : le };
  }
  if (rest < 3) return undefined;
  const nc = ((b[5] as number) << 8) | (b[6] as number);
  if (nc === 0) return undefined;
  if (rest === 3 + nc) return { ...c, data: b.slice(7, 7 + nc) };
  if (rest === 5 + nc) {
    const le = ((b[7 + nc] as number) << 8) | (b[8 + nc] as number);
    return { ...c, data: b.slice(7, 7 + nc), ne: le === 0 ? 65536 : le };
  }
  return undefined;
}

/**
 * Split response bytes into data and status word.
 * @throws ChipError `chip/bad-response` when fewer than two bytes came back
 */
export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) {
    throw new ChipError('chip/bad-response', 'response APDU shorter than a status word', {
      details: { length: bytes instanceof Uint8Array ? bytes.length : -1 },
    });
  }
  const n = bytes.length;
  return { data: bytes.subarray(0, n - 2), sw: ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number) };
}

/** Meanings of the status words an eMRTD reader meets (ISO/IEC 7816-4, ICAO 9303-10/11). */
export const statusWords: Readonly<Record<number, string>> = {
  36864: 'normal processing',
  25218: 'end of file reached before reading Ne bytes',
  25344: 'authentication failed',
  25985: 'memory failure',
  26368: 'wrong length',
  26754: 'secure messaging not supported',
  27010: 'security status not satisfied',
  27011: 'authentication method blocked',
  27012: 'reference data not usable',
  27013: 'conditions of use not satisfied',
  27014: 'command not allowed (no current EF)',
  27015: 'expected secure messaging data objects missing',
  27016: 'secure messaging data objects incorrect',
  27264: 'incorrect parameters in the data field',
  27266: 'file or application not found',
  27270: 'incorrect parameters P1-P2',
  27272: 'referenced data not found',
  27392: 'wrong parameters (offset outside the EF)',
  27904: 'instruction code not supported',
  28160: 'class not supported',
  28416: 'no precise diagnosis',
};

/** `6982 (security status not satisfied)`. */
export function describeStatus(sw: number): string {
  const code = sw.toString(16).toUpperCase().padStart(4, '0');
  const meaning =
    statusWords[sw] ??
    ((sw & 0xff00) === 0x6100
      ? 'more data available'
      : (sw & 0xff00) === 0x6c00
        ? 'wrong Le'
        : (sw & 0xfff0) === 0x63c0
          ? `verification failed, ${sw & 0xf} tries left`
          : 'unknown status');
  return `${code} (${meaning})`;
}

/** The error for an unexpected status word in step `what`. */
export function statusError(sw: number, what: string): ChipError {
  return new ChipError('chip/status', `${what}: card answered ${describeStatus(sw)}`, {
    details: { sw: sw.toString(16).toUpperCase().padStart(4, '0'), step: what },
  });
}
