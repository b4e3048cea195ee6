import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concat, fromHex, randomBytes } from '../bytes.js';
import { TripleDes, desBlock, desKeySchedule, retailMac } from './des.js';

const nodeEcb = (alg: string, key: Uint8Array, data: Uint8Array) => {
  const c = createCipheriv(alg, key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
};

describe('DES / 3DES', () => {
  it('matches the FIPS 81 / classic test vector', () => {
    const buf = fromHex('0123456789ABCDEF');
    desBlock(desKeySchedule(fromHex('133457799BBCDFF1')), buf, 0, false);
    expect(buf).toEqual(fromHex('85E813540F0AB405'));
    desBlock(desKeySchedule(fromHex('133457799BBCDFF1')), buf, 0, true);
    expect(buf).toEqual(fromHex('0123456789ABCDEF'));
  });

  it('single DES equals OpenSSL des-ede3 with K‖K‖K, and 3DES-CBC equals des-ede-cbc, on random keys', () => {
    for (let n = 0; n < 50; n++) {
      const k = randomBytes(8);
      const block = randomBytes(8);
      const mine = block.slice();
      desBlock(desKeySchedule(k), mine, 0, false);
      expect(mine).toEqual(nodeEcb('des-ede3-ecb', concat(k, k, k), block));
      const k2 = randomBytes(16);
      const data = randomBytes(64);
      const c = createCipheriv('des-ede-cbc', k2, new Uint8Array(8)).setAutoPadding(false);
      const expected = new Uint8Array(Buffer.concat([c.update(data), c.final()]));
      expect(new TripleDes(k2).cbc(data, false)).toEqual(expected);
      expect(new TripleDes(k2).cbc(expected, true)).toEqual(data);
    }
  });

  it('computes the ICAO 9303-11 worked example retail MAC (BAC, appendix D)', () => {
    // Kmac and E_IFD from ICAO 9303 part 11, appendix D.3
    const kmac = fromHex('7962D9ECE03D1ACD4C76089DCE131543');
    const eifd = fromHex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
    expect(retailMac(kmac, concat(eifd, fromHex('8000000000000000')))).toEqual(fromHex('5F1448EEA8AD90A7'));
  });
});
