import type { CommandApdu, ResponseApdu } from './apdu.js';
import { concat, equalBytes, pad, unpad } from './bytes.js';
import type { CipherSuite } from './crypto/cipherSuite.js';
import { ChipError } from './errors.js';
import { parseTlvs, tlv } from './tlv.js';

function smError(message: string, details?: Record<string, unknown>): ChipError {
  return new ChipError('chip/secure-messaging', message, details ? { details } : {});
}

/**
 * Secure messaging (ICAO 9303-11 §9.8): wraps command APDUs into DO87/DO85, DO97 and a DO8E
 * MAC, and unwraps and checks responses (DO87, DO99, DO8E) with a send sequence counter that
 * both sides increment before every MAC.
 */
export class SecureMessaging {
  /** Send sequence counter, `blockSize` bytes big-endian. */
  readonly ssc: Uint8Array;
  constructor(
    readonly suite: CipherSuite,
    private readonly kEnc: Uint8Array,
    private readonly kMac: Uint8Array,
    ssc?: Uint8Array,
  ) {
    this.ssc = new Uint8Array(suite.blockSize);
    if (ssc)
      this.ssc.set(ssc.subarray(ssc.length - suite.blockSize), suite.blockSize - Math.min(ssc.length, suite.blockSize));
  }

  private increment(): void {
    for (let i = this.ssc.length - 1; i >= 0; i--) {
      this.ssc[i] = ((this.ssc[i] as number) + 1) & 0xff;
      if (this.ssc[i] !== 0) break;
    }
  }

  /**
   * MAC of SSC ‖ `data` (ICAO 9303-11 §9.8.6): the input is padded once. The 3DES suite's
   * retail MAC pads itself; CMAC does not, so AES gets the padding here.
   */
  private mac(data: Uint8Array): Uint8Array {
    const input = concat(this.ssc, data);
    return this.suite.blockSize === 8 ? this.suite.mac(this.kMac, input) : this.suite.mac(this.kMac, pad(input, 16));
  }

  /** Protect a command. The returned APDU expects the whole response (Ne 256 or 65,536). */
  wrap(c: CommandApdu): CommandApdu {
    const bs = this.suite.blockSize;
    const cla = (c.cla | 0x0c) & 0xff;
    const header = pad(Uint8Array.of(cla, c.ins, c.p1, c.p2), bs);
    this.increment();
    let dataDo: Uint8Array = new Uint8Array(0);
    if (c.data && c.data.length > 0) {
      const enc = this.suite.encrypt(this.kEnc, this.ssc, pad(c.data, bs));
      dataDo = c.ins & 1 ? tlv(0x85, enc) : tlv(0x87, Uint8Array.of(0x01), enc);
    }
    let leDo: Uint8Array = new Uint8Array(0);
    if (c.ne !== undefined) {
      leDo =
        c.ne > 256 ? tlv(0x97, Uint8Array.of((c.ne >> 8) & 0xff, c.ne & 0xff)) : tlv(0x97, Uint8Array.of(c.ne & 0xff));
    }
    const cc = this.mac(concat(header, dataDo, leDo));
    const body = concat(dataDo, leDo, tlv(0x8e, cc));
    const extended = (c.ne ?? 0) > 256 || body.length > 255;
    return { cla, ins: c.ins, p1: c.p1, p2: c.p2, data: body, ne: extended ? 65536 : 256 };
  }

  /**
   * Check and decrypt a protected response.
   * @throws ChipError `chip/secure-messaging` for a missing or wrong MAC, missing DO99, bad padding
   */
  unwrap(r: ResponseApdu): ResponseApdu {
    this.increment();
    if (r.data.length === 0) {
      // The card left secure messaging (it does so on an error such as 6987/6988 or 6982):
      // there is nothing to check, and the session keys are no longer usable.
      throw smError(`card answered ${r.sw.toString(16).toUpperCase()} without secure messaging`, {
        sw: r.sw.toString(16).toUpperCase(),
      });
    }
    let objects: ReturnType<typeof parseTlvs>;
    try {
      objects = parseTlvs(r.data);
    } catch (cause) {
      throw new ChipError('chip/secure-messaging', 'protected response is not well-formed TLV', { cause });
    }
    const do87 = objects.find((o) => o.tag === 0x87 || o.tag === 0x85);
    const do99 = objects.find((o) => o.tag === 0x99);
    const do8e = objects.find((o) => o.tag === 0x8e);
    if (!do8e) throw smError('protected response has no MAC (DO8E)');
    if (!do99 || do99.value.length !== 2) throw smError('protected response has no status word (DO99)');
    const covered = concat(...objects.filter((o) => o.tag !== 0x8e).map((o) => r.data.subarray(o.start, o.end)));
    const expected = this.mac(covered);
    if (!equalBytes(expected, do8e.value)) throw smError('MAC of the protected response does not check out');
    const sw = ((do99.value[0] as number) << 8) | (do99.value[1] as number);
    if (!do87) return { data: new Uint8Array(0), sw };
    const enc = do87.tag === 0x87 ? do87.value.subarray(1) : do87.value;
    if (do87.tag === 0x87 && do87.value[0] !== 0x01) throw smError('DO87 padding indicator is not 01');
    if (enc.length === 0 || enc.length % this.suite.blockSize !== 0)
      throw smError('encrypted data is not whole blocks');
    const plain = unpad(this.suite.decrypt(this.kEnc, this.ssc, enc));
    if (!plain) throw smError('decrypted response data has no ISO 9797-1 padding');
    return { data: plain, sw };
  }

  /** The card's side: check and decrypt a protected command (software card). @internal */
  unwrapCommand(c: CommandApdu): CommandApdu {
    this.increment();
    const data = c.data ?? new Uint8Array(0);
    const objects = parseTlvs(data);
    const do8e = objects.find((o) => o.tag === 0x8e);
    if (!do8e) throw smError('protected command has no MAC');
    const header = pad(Uint8Array.of(c.cla, c.ins, c.p1, c.p2), this.suite.blockSize);
    const covered = concat(header, ...objects.filter((o) => o.tag !== 0x8e).map((o) => data.subarray(o.start, o.end)));
    if (!equalBytes(this.mac(covered), do8e.value)) throw smError('command MAC does not check out');
    const out: CommandApdu = { cla: c.cla & ~0x0c, ins: c.ins, p1: c.p1, p2: c.p2 };
    const d = objects.find((o) => o.tag === 0x87 || o.tag === 0x85);
    if (d) {
      const enc = d.tag === 0x87 ? d.value.subarray(1) : d.value;
      if (enc.length === 0 || enc.length % this.suite.blockSize !== 0)
        throw smError('command data is not whole blocks');
      const plain = unpad(this.suite.decrypt(this.kEnc, this.ssc, enc));
      if (!plain) throw smError('command data has no padding');
      out.data = plain;
    }
    const le = objects.find((o) => o.tag === 0x97);
    if (le) {
      const v =
        le.value.length === 1 ? (le.value[0] as number) : ((le.value[0] as number) << 8) | (le.value[1] as number);
      out.ne = v === 0 ? (le.value.length === 1 ? 256 : 65536) : v;
    }
    return out;
  }

  /** The card's side: protect a response (software card). @internal */
  wrapResponse(r: ResponseApdu): Uint8Array {
    this.increment();
    const bs = this.suite.blockSize;
    const dataDo =
      r.data.length > 0
        ? tlv(0x87, Uint8Array.of(0x01), this.suite.encrypt(this.kEnc, this.ssc, pad(r.data, bs)))
        : new Uint8Array(0);
    const swDo = tlv(0x99, Uint8Array.of(r.sw >> 8, r.sw & 0xff));
    const cc = this.mac(concat(dataDo, swDo));
    return concat(dataDo, swDo, tlv(0x8e, cc), Uint8Array.of(0x90, 0x00));
  }
}
