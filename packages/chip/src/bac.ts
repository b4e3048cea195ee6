import { type MrzKey, mrzPassword } from './accessKey.js';
import { concat, equalBytes, randomBytes, xor } from './bytes.js';
import { type CardChannel, refusedAsAccessDenied } from './CardChannel.js';
import { deriveSessionKeys, tripleDes } from './crypto/cipherSuite.js';
import { ChipError } from './errors.js';
import { SecureMessaging } from './secureMessaging.js';

/** BAC keys derived from the MRZ (ICAO 9303-11 §9.7.2). @internal */
export function bacKeys(key: MrzKey): { kEnc: Uint8Array; kMac: Uint8Array } {
  return deriveSessionKeys(tripleDes, mrzPassword(key).slice(0, 16));
}

/**
 * Basic Access Control (ICAO 9303-11 §4.3): GET CHALLENGE, EXTERNAL AUTHENTICATE with 3DES and
 * the retail MAC, session keys from K.IFD ⊕ K.IC. Turns secure messaging on in `channel`.
 * @throws ChipError `chip/access-denied` when the card refuses the key or its answer does not check out
 */
export async function performBac(
  channel: CardChannel,
  key: MrzKey,
  random: (n: number) => Uint8Array = randomBytes,
): Promise<void> {
  const { kEnc, kMac } = bacKeys(key);
  channel.sm = undefined;
  const rndIc = await channel.sendOk({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, 'BAC get challenge');
  if (rndIc.length !== 8) throw new ChipError('chip/bad-response', 'BAC challenge is not 8 bytes');
  const rndIfd = random(8);
  const kIfd = random(16);
  const eIfd = tripleDes.encryptZeroIv(kEnc, concat(rndIfd, rndIc, kIfd));
  const mIfd = tripleDes.mac(kMac, eIfd);
  const resp = await refusedAsAccessDenied(
    channel.sendOk({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: concat(eIfd, mIfd), ne: 40 }, 'BAC external authenticate'),
    'BAC: the card refused the MRZ key',
  );
  if (resp.length !== 40) throw new ChipError('chip/bad-response', 'BAC answer is not 40 bytes');
  const eIc = resp.subarray(0, 32);
  if (!equalBytes(tripleDes.mac(kMac, eIc), resp.subarray(32))) {
    throw new ChipError('chip/access-denied', 'BAC: MAC of the card answer does not check out');
  }
  const r = tripleDes.decryptZeroIv(kEnc, eIc);
  if (!equalBytes(r.subarray(0, 8), rndIc) || !equalBytes(r.subarray(8, 16), rndIfd)) {
    throw new ChipError('chip/access-denied', 'BAC: the card answer does not carry our challenge');
  }
  const session = deriveSessionKeys(tripleDes, xor(kIfd, r.subarray(16, 32)));
  const ssc = concat(rndIc.subarray(4), rndIfd.subarray(4));
  channel.sm = new SecureMessaging(tripleDes, session.kEnc, session.kMac, ssc);
}
