import { describe, expect, it } from 'vitest';
import { mrzInformation } from './accessKey.js';
import { bacKeys, performBac } from './bac.js';
import { fromHex, hex } from './bytes.js';
import { CardChannel } from './CardChannel.js';
import type { CardTransport } from './CardTransport.js';
import { isChipError } from './errors.js';

/** A transport that expects exact command APDUs and answers scripted responses. */
function scripted(steps: [string, string][]): CardTransport & { left: () => number } {
  let i = 0;
  return {
    left: () => steps.length - i,
    async transmit(apdu) {
      const step = steps[i++];
      if (!step) throw new Error('unexpected APDU');
      expect(hex(apdu)).toBe(step[0].replace(/\s/g, ''));
      return fromHex(step[1]);
    },
  };
}

const key = { documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' };
const parityless = (b: Uint8Array) => hex(b.map((x) => x & 0xfe));

// ICAO Doc 9303 part 11, appendix D (worked example of BAC and secure messaging).
describe('BAC and 3DES secure messaging against the ICAO 9303-11 worked example', () => {
  it('derives the MRZ information and the BAC keys', () => {
    expect(mrzInformation(key)).toBe('L898902C<369080619406236');
    const { kEnc, kMac } = bacKeys(key);
    expect(parityless(kEnc)).toBe(parityless(fromHex('AB94FDECF2674FDFB9B391F85D7F76F2')));
    expect(parityless(kMac)).toBe(parityless(fromHex('7962D9ECE03D1ACD4C76089DCE131543')));
  });

  it('runs mutual authentication, then a protected SELECT and READ BINARY byte for byte', async () => {
    const transport = scripted([
      ['0084000008', '4608F91988702212 9000'],
      [
        '0082000028 72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2 5F1448EEA8AD90A7 28',
        '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F 2F2D235D074D7449 9000',
      ],
      ['0CA4020C15 8709016375432908C044F6 8E08BF8B92D635FF24F8 00', '990290008E08FA855A5D4C50A8ED 9000'],
      ['0CB000000D 970104 8E08ED6705417E96BA55 00', '8709019FF0EC34F9922651 99029000 8E08AD55CC17140B2DED 9000'],
    ]);
    const channel = new CardChannel(transport);
    const randoms = [fromHex('781723860C06C226'), fromHex('0B795240CB7049B01C19B33E32804F0B')];
    await performBac(channel, key, () => randoms.shift() as Uint8Array);
    expect(hex(channel.sm?.ssc ?? new Uint8Array(0))).toBe('887022120C06C226');
    await channel.selectFile(0x011e, 'COM');
    expect(hex(await channel.readBinary(0, 4, 'COM'))).toBe('60145F01');
    expect(transport.left()).toBe(0);
  });

  it('refuses a card answer whose MAC does not check out', async () => {
    const transport = scripted([
      ['0084000008', '4608F91988702212 9000'],
      [
        '0082000028 72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2 5F1448EEA8AD90A7 28',
        '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F 2F2D235D074D7448 9000',
      ],
    ]);
    const randoms = [fromHex('781723860C06C226'), fromHex('0B795240CB7049B01C19B33E32804F0B')];
    const err = await performBac(new CardChannel(transport), key, () => randoms.shift() as Uint8Array).catch((e) => e);
    expect(isChipError(err, 'chip/access-denied')).toBe(true);
  });
});
