import { type CommandApdu, type ResponseApdu, encodeApdu, parseResponse, statusError } from './apdu.js';
import type { CardTransport } from './CardTransport.js';
import { ChipError, isChipError } from './errors.js';
import type { SecureMessaging } from './secureMessaging.js';
import { readTlv, tlv } from './tlv.js';

/** Options of a {@link CardChannel}. */
export interface CardChannelOptions {
  /** Milliseconds one APDU may take before the read fails with `chip/timeout`. @default 10000 */
  timeoutMs?: number;
  /** Read up to this many bytes per READ BINARY. Above 223 needs extended length (reader and card). @default 223 */
  readChunk?: number;
  /** Refuse files longer than this. @default 262144 */
  maxFileBytes?: number;
}

/** Progress of one file read. */
export interface ReadProgress {
  /** File name, e.g. `DG2`. */
  file: string;
  bytesRead: number;
  totalBytes: number;
}

const SW_OK = 0x9000;
const SW_EOF = 0x6282;

/**
 * A session with one card over a {@link CardTransport}: timeouts, GET RESPONSE and wrong-Le
 * retries, secure messaging once it is on, SELECT and chunked READ BINARY.
 * @internal
 */
/**
 * Await a card exchange of an access-control step: a refusal by status word becomes
 * `chip/access-denied` with `message`, carrying the status error as cause and its details.
 * @internal
 */
export async function refusedAsAccessDenied<T>(exchange: Promise<T>, message: string): Promise<T> {
  try {
    return await exchange;
  } catch (err) {
    if (isChipError(err, 'chip/status')) {
      throw new ChipError('chip/access-denied', message, { cause: err, details: err.details ?? {} });
    }
    throw err;
  }
}

export class CardChannel {
  sm: SecureMessaging | undefined;
  readonly timeoutMs: number;
  readonly readChunk: number;
  readonly maxFileBytes: number;
  /** APDUs sent (for the bench and tests). */
  apduCount = 0;

  constructor(
    private readonly transport: CardTransport,
    options: CardChannelOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.readChunk = options.readChunk ?? 223;
    this.maxFileBytes = options.maxFileBytes ?? 262_144;
    if (!(this.readChunk >= 1 && this.readChunk <= 65_000)) throw new RangeError('readChunk must be in 1..65000');
  }

  private async raw(cmd: CommandApdu): Promise<ResponseApdu> {
    const bytes = encodeApdu(cmd);
    this.apduCount++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ChipError('chip/timeout', `card did not answer within ${this.timeoutMs} ms`, {
              details: { timeoutMs: this.timeoutMs },
            }),
          ),
        this.timeoutMs,
      );
    });
    try {
      const res = await Promise.race([this.transport.transmit(bytes), timeout]);
      return parseResponse(res);
    } catch (cause) {
      if (isChipError(cause)) throw cause;
      throw new ChipError('chip/transport', 'the reader failed to exchange an APDU (card removed or reader gone)', {
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Send without secure messaging, following 61xx (GET RESPONSE) and 6Cxx (resend with the right Le). */
  async plain(cmd: CommandApdu): Promise<ResponseApdu> {
    let r = await this.raw(cmd);
    if ((r.sw & 0xff00) === 0x6c00) r = await this.raw({ ...cmd, ne: r.sw & 0xff || 256 });
    let data = r.data;
    let guard = 0;
    while ((r.sw & 0xff00) === 0x6100) {
      if (++guard > 300 || data.length > this.maxFileBytes)
        throw new ChipError('chip/bad-response', 'card kept answering 61xx');
      r = await this.raw({ cla: 0x00, ins: 0xc0, p1: 0, p2: 0, ne: r.sw & 0xff || 256 });
      const joined = new Uint8Array(data.length + r.data.length);
      joined.set(data);
      joined.set(r.data, data.length);
      data = joined;
    }
    return { data, sw: r.sw };
  }

  /** Send, through secure messaging when it is on. */
  async send(cmd: CommandApdu): Promise<ResponseApdu> {
    if (!this.sm) return this.plain(cmd);
    const sm = this.sm;
    const r = await this.plain(sm.wrap(cmd));
    return sm.unwrap(r);
  }

  /** Send and require 9000. */
  async sendOk(cmd: CommandApdu, what: string): Promise<Uint8Array> {
    const r = await this.send(cmd);
    if (r.sw !== SW_OK) throw statusError(r.sw, what);
    return r.data;
  }

  /** SELECT an elementary file by its 2-byte identifier (P1 02, no FCI: `00 A4 02 0C 02 FID`). */
  async selectFile(fid: number, name: string): Promise<void> {
    await this.sendOk(
      { cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fid >> 8, fid & 0xff) },
      `select ${name}`,
    );
  }

  /** SELECT an application by AID (`00 A4 04 0C`). */
  async selectApplication(aid: Uint8Array): Promise<void> {
    await this.sendOk({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid }, 'select the eMRTD application');
  }

  /** One READ BINARY: B0 with the offset in P1-P2 up to 32,767, B1 with DO54 beyond. */
  async readBinary(offset: number, ne: number, what: string): Promise<Uint8Array> {
    if (offset <= 0x7fff) {
      const r = await this.send({ cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, ne });
      if (r.sw !== SW_OK && !(r.sw === SW_EOF && r.data.length > 0)) throw statusError(r.sw, `read ${what}`);
      return r.data;
    }
    const off = Uint8Array.of((offset >> 16) & 0xff, (offset >> 8) & 0xff, offset & 0xff);
    const r = await this.send({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: tlv(0x54, off), ne: ne + 4 });
    if (r.sw !== SW_OK && !(r.sw === SW_EOF && r.data.length > 0)) throw statusError(r.sw, `read ${what}`);
    return readTlv(r.data).value;
  }

  /**
   * Read a whole TLV-structured file from the currently selected EF: its header first, then
   * the rest in chunks of `readChunk`, reporting progress after each.
   */
  async readSelectedFile(name: string, onProgress?: (p: ReadProgress) => void): Promise<Uint8Array> {
    // 8 bytes cover a 3-byte tag and a 4-byte length (DG2 above 64 KiB has a 3-byte length).
    const head = await this.readBinary(0, 8, name);
    if (head.length < 2) throw new ChipError('chip/bad-data', `${name}: file header is shorter than 2 bytes`);
    const total = headerTotalLength(head, name);
    if (total > this.maxFileBytes) {
      throw new ChipError('chip/file-too-large', `${name} announces ${total} bytes, more than maxFileBytes`, {
        details: { file: name, bytes: total, maxFileBytes: this.maxFileBytes },
      });
    }
    const out = new Uint8Array(total);
    const first = head.subarray(0, Math.min(head.length, total));
    out.set(first);
    let read = first.length;
    onProgress?.({ file: name, bytesRead: read, totalBytes: total });
    while (read < total) {
      const chunk = await this.readBinary(read, Math.min(this.readChunk, total - read), name);
      if (chunk.length === 0)
        throw new ChipError('chip/bad-response', `${name}: card returned no data at offset ${read}`);
      const n = Math.min(chunk.length, total - read);
      out.set(chunk.subarray(0, n), read);
      read += n;
      onProgress?.({ file: name, bytesRead: read, totalBytes: total });
    }
    return out;
  }

  /** Select an EF by identifier and read it whole. */
  async readFile(fid: number, name: string, onProgress?: (p: ReadProgress) => void): Promise<Uint8Array> {
    await this.selectFile(fid, name);
    return this.readSelectedFile(name, onProgress);
  }
}

/** Length of tag + length + value from the first bytes of a TLV file. */
function headerTotalLength(head: Uint8Array, name: string): number {
  let i = 1;
  if (((head[0] as number) & 0x1f) === 0x1f) {
    while (i < head.length && ((head[i] as number) & 0x80) !== 0) i++;
    i++;
  }
  if (i >= head.length) throw new ChipError('chip/bad-data', `${name}: file header is cut off`);
  const l = head[i] as number;
  if (l < 0x80) return i + 1 + l;
  const n = l & 0x7f;
  if (n === 0 || n > 3) throw new ChipError('chip/bad-tlv', `${name}: unsupported length encoding in the file header`);
  if (i + 1 + n > head.length) throw new ChipError('chip/bad-data', `${name}: file header is cut off`);
  let len = 0;
  for (let k = 0; k < n; k++) len = len * 256 + (head[i + 1 + k] as number);
  return i + 1 + n + len;
}
