import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { type CommandApdu, decodeApdu } from '../apdu.js';
import { mrzPassword } from '../accessKey.js';
import { bacKeys } from '../bac.js';
import { bigIntToBytes, bytesToBigInt, concat, equalBytes, randomBytes, xor } from '../bytes.js';
import type { CardTransport } from '../CardTransport.js';
import { OID, decodeOid } from '../asn1.js';
import { type CipherSuite, KDF_ENC, KDF_MAC, KDF_PI, aes128, deriveKey, tripleDes } from '../crypto/cipherSuite.js';
import { type NamedCurve, curveByParameterId } from '../crypto/curves.js';
import { CARD_ACCESS_FID, type ChipFileName, EMRTD_AID, chipFiles } from '../dataGroups.js';
import { paceSuites, publicKeyDataObject, randomScalar } from '../pace.js';
import { SecureMessaging } from '../secureMessaging.js';
import { findTlv, parseTlvs, tlv } from '../tlv.js';
import type { TestDocument } from './testDocument.js';
import { type TestKeyPair, generateKeyPair } from './testPki.js';

/** Faults the software card can inject after a number of APDUs. */
export type CardFault =
  /** The card is pulled: `transmit` rejects from then on. */
  | 'removed'
  /** One response of random bytes (1–40). */
  | 'garbage'
  /** One response cut to its first byte. */
  | 'truncated'
  /** The card stops answering (the promise never settles): the reader timeout must fire. */
  | 'silent';

/** Options of a {@link SoftwareCard}. */
export interface SoftwareCardOptions {
  /** Answer MSE:Set AT for PACE with 6982, as some chips do in the field (BAC then works). */
  refusePace?: boolean;
  /** A clone: same files, but not the chip's private keys (chip and active authentication fail). */
  clone?: boolean;
  /** Answer SELECT of the master file with 6D00 (field behaviour). @default true */
  mfSelectUnsupported?: boolean;
  /** Inject `fault` on the APDU after `afterApdus` have been answered. */
  fault?: { kind: CardFault; afterApdus: number };
  random?: (n: number) => Uint8Array;
}

type Pt = WeierstrassPoint<bigint>;
interface PaceState {
  protocol: string;
  suite: CipherSuite;
  curve: NamedCurve;
  password: Uint8Array;
  step: number;
  nonce?: bigint;
  mapSk?: bigint;
  g?: Pt;
  ephSk?: bigint;
  ephPk?: Uint8Array;
  terminalEph?: Uint8Array;
  kMac?: Uint8Array;
  kEnc?: Uint8Array;
}

const SW = (sw: number) => Uint8Array.of(sw >> 8, sw & 0xff);
const ok = (data: Uint8Array = new Uint8Array(0)) => ({ data, sw: 0x9000 });
const fail = (sw: number) => ({ data: new Uint8Array(0), sw });

/**
 * A software eMRTD chip for tests: the ICAO 9303 application of a CCCD / Căn cước (PACE with
 * ECDH generic mapping, BAC, secure messaging in 3DES and AES, chip authentication, active
 * authentication, EF.CardAccess, EF.COM, DG1, DG2, DG13, DG14, DG15, EF.SOD) behind the same
 * {@link CardTransport} port as a PC/SC reader. `process` is the card itself; the vpcd bridge
 * in `@smart-citizen/chip/node` puts it behind the real PC/SC stack.
 */
export class SoftwareCard implements CardTransport {
  private sm: SecureMessaging | undefined;
  private inApp = false;
  private current: Uint8Array | undefined;
  private challenge: Uint8Array | undefined;
  private pace: PaceState | undefined;
  private caPending: { protocol: string } | undefined;
  private answered = 0;
  private removed = false;
  private readonly random: (n: number) => Uint8Array;
  private readonly caKey: TestKeyPair;
  private readonly aaKey: TestKeyPair;
  /** Commands received (after secure-messaging unwrapping), for tests. */
  readonly log: { ins: number; sw: number }[] = [];

  constructor(
    readonly document: TestDocument,
    private readonly options: SoftwareCardOptions = {},
  ) {
    this.random = options.random ?? randomBytes;
    // A clone has the files but had to make its own keys: it cannot read the chip's.
    this.caKey = options.clone
      ? generateKeyPair(document.chipAuthenticationKey.curve.name, this.random)
      : document.chipAuthenticationKey;
    this.aaKey = options.clone
      ? generateKeyPair(document.activeAuthenticationKey.curve.name, this.random)
      : document.activeAuthenticationKey;
  }

  /** Pull the card out of the reader: every later transmit rejects. */
  remove(): void {
    this.removed = true;
  }

  /** Reset: drop secure messaging and selection, as a power cycle does. */
  reset(): void {
    this.sm = undefined;
    this.inApp = false;
    this.current = undefined;
    this.pace = undefined;
    this.caPending = undefined;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const fault = this.options.fault;
    if (fault && this.answered >= fault.afterApdus) {
      if (fault.kind === 'removed') this.removed = true;
      if (fault.kind === 'silent') return new Promise<Uint8Array>(() => {});
      if (fault.kind === 'garbage' && this.answered === fault.afterApdus) {
        this.answered++;
        return this.random(1 + ((this.random(1)[0] as number) % 40));
      }
      if (fault.kind === 'truncated' && this.answered === fault.afterApdus) {
        this.answered++;
        return this.process(apdu).subarray(0, 1);
      }
    }
    if (this.removed) throw new Error('card removed from the reader');
    this.answered++;
    return this.process(apdu);
  }

  async close(): Promise<void> {}

  /** The card: one command APDU in, one response APDU out. Never throws. */
  process(apdu: Uint8Array): Uint8Array {
    const c = decodeApdu(apdu);
    if (!c) return SW(0x6700);
    let cmd: CommandApdu = c;
    const protectedCmd = (c.cla & 0x0c) === 0x0c;
    if (this.sm) {
      if (!protectedCmd) {
        this.sm = undefined;
        this.log.push({ ins: c.ins, sw: 0x6987 });
        return SW(0x6987);
      }
      try {
        cmd = this.sm.unwrapCommand(c);
      } catch {
        this.sm = undefined;
        this.log.push({ ins: c.ins, sw: 0x6988 });
        return SW(0x6988);
      }
    } else if (protectedCmd) return SW(0x6882);
    const sm = this.sm;
    let r: { data: Uint8Array; sw: number };
    try {
      r = this.dispatch(cmd);
    } catch {
      r = fail(0x6f00);
    }
    this.log.push({ ins: cmd.ins, sw: r.sw });
    if (cmd.ne !== undefined && r.data.length > cmd.ne) r = { data: r.data.subarray(0, cmd.ne), sw: r.sw };
    const out = sm ? sm.wrapResponse(r) : concat(r.data, SW(r.sw));
    this.afterResponse();
    return out;
  }

  /** Key switches that take effect after the response under the old keys went out. */
  private pendingSm: SecureMessaging | undefined | null = null;
  private afterResponse(): void {
    if (this.pendingSm !== null) {
      this.sm = this.pendingSm;
      this.pendingSm = null;
    }
  }

  private dispatch(c: CommandApdu): { data: Uint8Array; sw: number } {
    switch (c.ins) {
      case 0xa4:
        return this.select(c);
      case 0xb0:
      case 0xb1:
        return this.readBinary(c);
      case 0x84:
        this.challenge = this.random(8);
        return ok(this.challenge);
      case 0x82:
        return this.externalAuthenticate(c);
      case 0x22:
        return this.manageSecurityEnvironment(c);
      case 0x86:
        return this.caPending && this.sm ? this.chipAuthenticate(c) : this.paceStep(c);
      case 0x88:
        return this.internalAuthenticate(c);
      default:
        return fail(0x6d00);
    }
  }

  private select(c: CommandApdu): { data: Uint8Array; sw: number } {
    const d = c.data ?? new Uint8Array(0);
    if (c.p1 === 0x04) {
      if (!equalBytes(d, EMRTD_AID)) return fail(0x6a82);
      this.inApp = true;
      this.current = undefined;
      return ok();
    }
    if (c.p1 === 0x00 && (d.length === 0 || (d[0] === 0x3f && d[1] === 0x00))) {
      if (this.options.mfSelectUnsupported !== false) return fail(0x6d00);
      this.inApp = false;
      return ok();
    }
    if ((c.p1 !== 0x02 && c.p1 !== 0x00) || d.length !== 2) return fail(0x6a86);
    const fid = ((d[0] as number) << 8) | (d[1] as number);
    if (fid === CARD_ACCESS_FID) {
      this.current = this.document.files.CardAccess;
      return ok();
    }
    const entry = Object.entries(chipFiles).find(([, f]) => f.fid === fid);
    if (!entry || !this.inApp) return fail(0x6a82);
    this.current = this.document.files[entry[0] as ChipFileName];
    return ok();
  }

  private readBinary(c: CommandApdu): { data: Uint8Array; sw: number } {
    if (!this.current) return fail(0x6986);
    // Data groups need secure messaging; EF.CardAccess does not.
    if (!this.sm && this.current !== this.document.files.CardAccess) return fail(0x6982);
    let offset: number;
    if (c.ins === 0xb0) {
      if (c.p1 & 0x80) return fail(0x6a86);
      offset = (c.p1 << 8) | c.p2;
    } else {
      const o = findTlv(c.data ?? new Uint8Array(0), 0x54);
      if (!o) return fail(0x6a80);
      offset = Number(bytesToBigInt(o.value));
    }
    const file = this.current;
    if (offset > file.length) return fail(0x6b00);
    const want = c.ne ?? 256;
    const chunk = file.subarray(
      offset,
      Math.min(file.length, offset + (c.ins === 0xb1 ? Math.max(0, want - 4) : want)),
    );
    return ok(c.ins === 0xb1 ? tlv(0x53, chunk) : chunk);
  }

  private externalAuthenticate(c: CommandApdu): { data: Uint8Array; sw: number } {
    const d = c.data ?? new Uint8Array(0);
    if (!this.challenge || d.length !== 40) return fail(0x6985);
    const { kEnc, kMac } = bacKeys(this.document.mrzKey);
    const eIfd = d.subarray(0, 32);
    if (!equalBytes(tripleDes.mac(kMac, eIfd), d.subarray(32))) return fail(0x6300);
    const s = tripleDes.decryptZeroIv(kEnc, eIfd);
    if (!equalBytes(s.subarray(8, 16), this.challenge)) return fail(0x6300);
    const rndIfd = s.subarray(0, 8);
    const kIc = this.random(16);
    const eIc = tripleDes.encryptZeroIv(kEnc, concat(this.challenge, rndIfd, kIc));
    const seed = xor(s.subarray(16, 32), kIc);
    const ssc = concat(this.challenge.subarray(4), rndIfd.subarray(4));
    this.pendingSm = new SecureMessaging(
      tripleDes,
      deriveKey(tripleDes, seed, KDF_ENC),
      deriveKey(tripleDes, seed, KDF_MAC),
      ssc,
    );
    this.challenge = undefined;
    return ok(concat(eIc, tripleDes.mac(kMac, eIc)));
  }

  private manageSecurityEnvironment(c: CommandApdu): { data: Uint8Array; sw: number } {
    const objects = parseTlvs(c.data ?? new Uint8Array(0));
    const get = (tag: number) => objects.find((o) => o.tag === tag)?.value;
    if (c.p1 === 0xc1 && c.p2 === 0xa4) {
      if (this.options.refusePace) return fail(0x6982);
      const oid = get(0x80);
      const ref = get(0x83);
      const paramId = get(0x84);
      const protocol = oid ? decodeOid(oid) : '';
      const suite = paceSuites[protocol];
      const curve = paramId ? curveByParameterId(paramId[0] as number) : undefined;
      if (!suite || !curve || !ref) return fail(0x6a80);
      const password =
        ref[0] === 2
          ? new TextEncoder().encode(this.document.can)
          : ref[0] === 1
            ? mrzPassword(this.document.mrzKey)
            : undefined;
      if (!password) return fail(0x6a88);
      this.pace = { protocol, suite, curve, password, step: 0 };
      this.sm = undefined;
      return ok();
    }
    if (this.sm && c.p1 === 0x41 && c.p2 === 0xa4) {
      const oid = get(0x80);
      if (!oid) return fail(0x6a80);
      this.caPending = { protocol: decodeOid(oid) };
      return ok();
    }
    if (this.sm && c.p1 === 0x41 && c.p2 === 0xa6) {
      const pk = get(0x91);
      if (!pk) return fail(0x6a80);
      return this.chipKeyAgreement(OID.caEcdh3Des, pk);
    }
    return fail(0x6a86);
  }

  private chipAuthenticate(c: CommandApdu): { data: Uint8Array; sw: number } {
    const dyn = findTlv(c.data ?? new Uint8Array(0), 0x7c);
    const pk = dyn ? findTlv(dyn.value, 0x80)?.value : undefined;
    const pending = this.caPending;
    this.caPending = undefined;
    if (!pk || !pending) return fail(0x6a80);
    const r = this.chipKeyAgreement(pending.protocol, pk);
    return r.sw === 0x9000 ? ok(tlv(0x7c)) : r;
  }

  private chipKeyAgreement(protocol: string, terminalPk: Uint8Array): { data: Uint8Array; sw: number } {
    const curve = this.caKey.curve;
    const suite = protocol === OID.caEcdh3Des ? tripleDes : aes128;
    let point: Pt;
    try {
      point = curve.ecdsa.Point.fromBytes(terminalPk);
      point.assertValidity();
    } catch {
      return fail(0x6a80);
    }
    const shared = bigIntToBytes(point.multiply(bytesToBigInt(this.caKey.privateKey)).toAffine().x, curve.size);
    this.pendingSm = new SecureMessaging(suite, deriveKey(suite, shared, KDF_ENC), deriveKey(suite, shared, KDF_MAC));
    return ok();
  }

  private internalAuthenticate(c: CommandApdu): { data: Uint8Array; sw: number } {
    if (!this.sm) return fail(0x6982);
    const challenge = c.data ?? new Uint8Array(0);
    if (challenge.length !== 8) return fail(0x6700);
    const key = this.aaKey;
    return ok(key.curve.ecdsa.sign(sha256(challenge), key.privateKey, { prehash: false, format: 'compact' }));
  }

  private paceStep(c: CommandApdu): { data: Uint8Array; sw: number } {
    const p = this.pace;
    if (!p) return fail(0x6985);
    const last = (c.cla & 0x10) === 0;
    const dyn = findTlv(c.data ?? new Uint8Array(0), 0x7c);
    if (!dyn) return fail(0x6a80);
    const Point = p.curve.ecdsa.Point;
    const n = Point.Fn.ORDER;
    const reset = (sw: number) => {
      this.pace = undefined;
      return fail(sw);
    };
    try {
      if (p.step === 0 && !last) {
        const s = this.random(p.suite.blockSize);
        p.nonce = bytesToBigInt(s) % n;
        p.step = 1;
        return ok(tlv(0x7c, tlv(0x80, p.suite.encryptZeroIv(deriveKey(p.suite, p.password, KDF_PI), s))));
      }
      if (p.step === 1 && !last) {
        const pk = Point.fromBytes(findTlv(dyn.value, 0x81)?.value ?? new Uint8Array(0));
        pk.assertValidity();
        p.mapSk = randomScalar(n, this.random);
        const h = pk.multiply(p.mapSk);
        p.g = (p.nonce ?? 0n) === 0n ? h : Point.BASE.multiply(p.nonce as bigint).add(h);
        p.step = 2;
        return ok(tlv(0x7c, tlv(0x82, Point.BASE.multiply(p.mapSk).toBytes(false))));
      }
      if (p.step === 2 && !last && p.g) {
        const termPkBytes = findTlv(dyn.value, 0x83)?.value ?? new Uint8Array(0);
        const pk = Point.fromBytes(termPkBytes);
        pk.assertValidity();
        p.ephSk = randomScalar(n, this.random);
        p.ephPk = p.g.multiply(p.ephSk).toBytes(false);
        p.terminalEph = termPkBytes.slice();
        const shared = bigIntToBytes(pk.multiply(p.ephSk).toAffine().x, p.curve.size);
        p.kEnc = deriveKey(p.suite, shared, KDF_ENC);
        p.kMac = deriveKey(p.suite, shared, KDF_MAC);
        p.step = 3;
        return ok(tlv(0x7c, tlv(0x84, p.ephPk)));
      }
      if (p.step === 3 && last && p.kMac && p.kEnc && p.ephPk && p.terminalEph) {
        const token = findTlv(dyn.value, 0x85)?.value ?? new Uint8Array(0);
        if (!equalBytes(token, p.suite.mac(p.kMac, publicKeyDataObject(p.protocol, p.ephPk)))) return reset(0x6300);
        const tIc = p.suite.mac(p.kMac, publicKeyDataObject(p.protocol, p.terminalEph));
        this.pendingSm = new SecureMessaging(p.suite, p.kEnc, p.kMac);
        this.pace = undefined;
        return ok(tlv(0x7c, tlv(0x86, tIc)));
      }
    } catch {
      return reset(0x6a80);
    }
    return reset(0x6985);
  }
}
