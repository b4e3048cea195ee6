import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { type AccessKey, checkCan, mrzPassword } from './accessKey.js';
import { OID, derOid, encodeOid } from './asn1.js';
import { bigIntToBytes, bytesToBigInt, concat, equalBytes, randomBytes } from './bytes.js';
import { type CardChannel, refusedAsAccessDenied } from './CardChannel.js';
import { type CipherSuite, KDF_PI, deriveKey, deriveSessionKeys, suitesByProtocol } from './crypto/cipherSuite.js';
import { type NamedCurve, curveByParameterId } from './crypto/curves.js';
import { ChipError } from './errors.js';
import { SecureMessaging } from './secureMessaging.js';
import type { PaceInfo } from './securityInfos.js';
import { findTlv, tlv } from './tlv.js';

/** PACE protocols this package runs: ECDH generic mapping with each cipher. */
export const paceSuites: Readonly<Record<string, CipherSuite>> = suitesByProtocol([
  OID.paceEcdhGm3Des,
  OID.paceEcdhGmAes128,
  OID.paceEcdhGmAes192,
  OID.paceEcdhGmAes256,
]);

/** The first PACEInfo this package can run, with its suite and curve, or `undefined`. */
export function choosePace(
  infos: readonly PaceInfo[],
): { info: PaceInfo; suite: CipherSuite; curve: NamedCurve } | undefined {
  for (const info of infos) {
    const suite = paceSuites[info.protocol];
    const curve = info.parameterId === undefined ? undefined : curveByParameterId(info.parameterId);
    if (suite && curve) return { info, suite, curve };
  }
  return undefined;
}

/** Random scalar in [1, n-1]. @internal */
export function randomScalar(n: bigint, random: (k: number) => Uint8Array): bigint {
  const len = Math.ceil(n.toString(16).length / 2) + 8;
  return (bytesToBigInt(random(len)) % (n - 1n)) + 1n;
}

type Pt = WeierstrassPoint<bigint>;

/** Public key data object of ICAO 9303-11 §4.4.3.3.3 for an EC point. @internal */
export function publicKeyDataObject(protocol: string, point: Uint8Array): Uint8Array {
  return tlv(0x7f49, derOid(protocol), tlv(0x86, point));
}

/** Password bytes and key reference (1 = MRZ, 2 = CAN) of an access key. @internal */
export function pacePassword(key: AccessKey): { password: Uint8Array; reference: 1 | 2 } {
  if (key.can !== undefined) return { password: checkCan(key.can), reference: 2 };
  if (key.mrz) return { password: mrzPassword(key.mrz), reference: 1 };
  throw new RangeError('PACE needs a CAN or the MRZ key');
}

function decodePoint(curve: NamedCurve, bytes: Uint8Array | undefined, what: string): Pt {
  try {
    if (!bytes) throw new Error('missing');
    const p = curve.ecdsa.Point.fromBytes(bytes);
    p.assertValidity();
    if (p.is0()) throw new Error('infinity');
    return p;
  } catch (cause) {
    throw new ChipError('chip/access-denied', `PACE: ${what} is not a valid point on ${curve.name}`, { cause });
  }
}

async function generalAuthenticate(
  channel: CardChannel,
  last: boolean,
  data: Uint8Array,
  replyTag: number,
  what: string,
): Promise<Uint8Array> {
  const r = await channel.sendOk(
    { cla: last ? 0x00 : 0x10, ins: 0x86, p1: 0, p2: 0, data: tlv(0x7c, data), ne: 256 },
    what,
  );
  const dyn = findTlv(r, 0x7c);
  const v = dyn ? findTlv(dyn.value, replyTag) : undefined;
  if (!v)
    throw new ChipError('chip/bad-response', `${what}: dynamic authentication data lacks tag ${replyTag.toString(16)}`);
  return v.value;
}

/**
 * PACE with ECDH generic mapping (ICAO 9303-11 §4.4): MSE:Set AT, the encrypted nonce, the
 * mapping, key agreement on the mapped generator and the authentication tokens. Turns secure
 * messaging on in `channel` with SSC 0.
 * @throws ChipError `chip/access-denied` for a wrong password (the card refuses our token or
 * its token does not check out); `chip/status` when the card refuses PACE itself
 */
export async function performPace(
  channel: CardChannel,
  chosen: { info: PaceInfo; suite: CipherSuite; curve: NamedCurve },
  key: AccessKey,
  random: (n: number) => Uint8Array = randomBytes,
): Promise<void> {
  const { info, suite, curve } = chosen;
  const { password, reference } = pacePassword(key);
  const Point = curve.ecdsa.Point;
  const n = Point.Fn.ORDER;
  channel.sm = undefined;
  const mse = [tlv(0x80, encodeOid(info.protocol)), tlv(0x83, Uint8Array.of(reference))];
  if (info.parameterId !== undefined) mse.push(tlv(0x84, Uint8Array.of(info.parameterId)));
  await channel.sendOk({ cla: 0, ins: 0x22, p1: 0xc1, p2: 0xa4, data: concat(...mse) }, 'PACE MSE:Set AT');

  const z = await generalAuthenticate(channel, false, new Uint8Array(0), 0x80, 'PACE encrypted nonce');
  if (z.length === 0 || z.length % suite.blockSize !== 0)
    throw new ChipError('chip/bad-response', 'PACE nonce is not whole cipher blocks');
  const s = bytesToBigInt(suite.decryptZeroIv(deriveKey(suite, password, KDF_PI), z)) % n;

  const mapSk = randomScalar(n, random);
  const mapPk = Point.BASE.multiply(mapSk).toBytes(false);
  const icMap = decodePoint(
    curve,
    await generalAuthenticate(channel, false, tlv(0x81, mapPk), 0x82, 'PACE mapping'),
    'the mapping key',
  );
  const h = icMap.multiply(mapSk);
  const g = s === 0n ? h : Point.BASE.multiply(s).add(h);
  if (g.is0()) throw new ChipError('chip/access-denied', 'PACE: mapped generator is the point at infinity');

  const ephSk = randomScalar(n, random);
  const ephPk = g.multiply(ephSk).toBytes(false);
  const icEphBytes = await generalAuthenticate(channel, false, tlv(0x83, ephPk), 0x84, 'PACE key agreement');
  const icEph = decodePoint(curve, icEphBytes, 'the ephemeral key');
  if (equalBytes(icEph.toBytes(false), ephPk))
    throw new ChipError('chip/access-denied', 'PACE: card echoed our ephemeral key');
  const shared = bigIntToBytes(icEph.multiply(ephSk).toAffine().x, curve.size);
  const { kEnc, kMac } = deriveSessionKeys(suite, shared);

  const tIfd = suite.mac(kMac, publicKeyDataObject(info.protocol, icEph.toBytes(false)));
  const tIc = await refusedAsAccessDenied(
    generalAuthenticate(channel, true, tlv(0x85, tIfd), 0x86, 'PACE mutual authentication'),
    'PACE: the card refused the password',
  );
  if (!equalBytes(tIc, suite.mac(kMac, publicKeyDataObject(info.protocol, ephPk)))) {
    throw new ChipError('chip/access-denied', 'PACE: the card authentication token does not check out');
  }
  channel.sm = new SecureMessaging(suite, kEnc, kMac);
}
