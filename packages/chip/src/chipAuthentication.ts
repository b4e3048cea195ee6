import { type Issue, issue } from '@smart-citizen/core';
import { OID, encodeOid } from './asn1.js';
import { bigIntToBytes, concat, randomBytes } from './bytes.js';
import type { CardChannel } from './CardChannel.js';
import { type CipherSuite, deriveSessionKeys, suitesByProtocol, tripleDes } from './crypto/cipherSuite.js';
import { parsePublicKeyInfo } from './crypto/signature.js';
import { ChipError } from './errors.js';
import { randomScalar } from './pace.js';
import { SecureMessaging } from './secureMessaging.js';
import type { SecurityInfos } from './securityInfos.js';
import { tlv } from './tlv.js';

/**
 * Chip authentication (ICAO 9303-11 §6.2): proves the chip holds the private key of the DG14
 * public key, which a clone copying the data groups lacks. `passed` needs the key agreement
 * and then a secure-messaging exchange under the new keys to succeed.
 */
export interface ChipAuthenticationResult {
  status: 'passed' | 'failed' | 'not-available';
  /** CA protocol OID used. */
  protocol?: string;
  issues: Issue[];
}

/** CA protocols this package runs (ECDH with each cipher). */
const caSuites: Readonly<Record<string, CipherSuite>> = suitesByProtocol([
  OID.caEcdh3Des,
  OID.caEcdhAes128,
  OID.caEcdhAes192,
  OID.caEcdhAes256,
]);

/**
 * Run the chip authentication key agreement with the DG14 key and switch `channel` to the
 * new session keys. The caller confirms by the next secure-messaging exchange.
 * @returns the protocol used, or `undefined` with an issue when DG14 offers nothing usable
 * @throws ChipError when the card refuses the key agreement
 */
export async function performChipAuthentication(
  channel: CardChannel,
  dg14: SecurityInfos,
  issues: Issue[],
  random: (n: number) => Uint8Array = randomBytes,
): Promise<string | undefined> {
  const info =
    dg14.chipAuthentication.find((i) => caSuites[i.protocol]) ??
    (dg14.chipAuthentication.length === 0 ? { protocol: OID.caEcdh3Des, version: 1 } : undefined);
  const pkInfo = dg14.chipAuthenticationPublicKeys.find(
    (k) => k.protocol === OID.pkEcdh && (info?.keyId === undefined || k.keyId === info.keyId),
  );
  if (!info || !pkInfo) {
    issues.push(
      issue('chip/ca-not-available', 'info', 'DG14 offers no ECDH chip authentication key this reader supports'),
    );
    return undefined;
  }
  const key = parsePublicKeyInfo(pkInfo.subjectPublicKeyInfo);
  if (key.type !== 'ec') {
    issues.push(
      issue('chip/ca-unsupported-key', 'warning', 'DG14 chip authentication key is not an EC key on a supported curve'),
    );
    return undefined;
  }
  const suite = caSuites[info.protocol] as CipherSuite;
  const Point = key.curve.ecdsa.Point;
  const sk = randomScalar(Point.Fn.ORDER, random);
  const pk = Point.BASE.multiply(sk).toBytes(false);
  let chipPoint: ReturnType<typeof Point.fromBytes>;
  try {
    chipPoint = Point.fromBytes(key.point);
    chipPoint.assertValidity();
  } catch (cause) {
    throw new ChipError('chip/bad-data', 'DG14 chip authentication key is not a valid point', { cause });
  }
  const shared = bigIntToBytes(chipPoint.multiply(sk).toAffine().x, key.curve.size);
  const keyRef = pkInfo.keyId === undefined ? [] : [tlv(0x84, bigIntToBytes(BigInt(pkInfo.keyId), 1))];
  if (suite === tripleDes) {
    await channel.sendOk(
      { cla: 0, ins: 0x22, p1: 0x41, p2: 0xa6, data: concat(...[tlv(0x91, pk), ...keyRef]) },
      'chip authentication MSE:Set KAT',
    );
  } else {
    await channel.sendOk(
      { cla: 0, ins: 0x22, p1: 0x41, p2: 0xa4, data: concat(...[tlv(0x80, encodeOid(info.protocol)), ...keyRef]) },
      'chip authentication MSE:Set AT',
    );
    await channel.sendOk(
      { cla: 0, ins: 0x86, p1: 0, p2: 0, data: tlv(0x7c, tlv(0x80, pk)), ne: 256 },
      'chip authentication general authenticate',
    );
  }
  const { kEnc, kMac } = deriveSessionKeys(suite, shared);
  channel.sm = new SecureMessaging(suite, kEnc, kMac);
  return info.protocol;
}
