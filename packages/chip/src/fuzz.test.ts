import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { decodeApdu, parseResponse } from './apdu.js';
import { parseCertificate } from './certificate.js';
import { aes128, tripleDes } from './crypto/cipherSuite.js';
import { parsePublicKeyInfo } from './crypto/signature.js';
import { parseDg1, parseDg14, parseDg15, parseDg2, parseEfCom } from './dataGroups.js';
import { parseDg13 } from './dg13.js';
import { isChipError } from './errors.js';
import { verifyPassiveAuthentication } from './passiveAuthentication.js';
import { SecureMessaging } from './secureMessaging.js';
import { parseSecurityInfos } from './securityInfos.js';
import { parseSod } from './sod.js';
import { createTestDocument } from './testing.js';
import { parseTlvTree } from './tlv.js';

// Seeded fuzzing of every parser that reads bytes from a card or a file: random bytes, and
// valid files with bytes flipped, lengths inflated (up to 4-byte lengths of 0xFFFFFFFF),
// truncations and insertions. Each input must parse or throw a ChipError — nothing else,
// never a hang. 1,050,000 inputs in all.
const doc = createTestDocument({ random: seededBytes(7) });

function seededBytes(seed: number): (n: number) => Uint8Array {
  const rng = createRng(seed);
  return (n) => Uint8Array.from({ length: n }, () => rng.int(0, 255));
}

const LENGTH_BOMBS = [
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x83, 0xff, 0xff, 0xff],
  [0x82, 0xff, 0xff],
  [0x81, 0xff],
  [0x80],
  [0x85, 1, 0, 0, 0, 0],
];

function mutate(rng: ReturnType<typeof createRng>, src: Uint8Array): Uint8Array {
  let b = src.slice();
  const ops = rng.int(1, 4);
  for (let k = 0; k < ops; k++) {
    const i = b.length === 0 ? 0 : rng.int(0, b.length - 1);
    switch (rng.int(0, 4)) {
      case 0:
        b[i] = rng.int(0, 255);
        break;
      case 1:
        b = b.subarray(0, i);
        break;
      case 2: {
        const bomb = rng.pick(LENGTH_BOMBS);
        const out = new Uint8Array(b.length + bomb.length);
        out.set(b.subarray(0, i));
        out.set(bomb, i);
        out.set(b.subarray(i), i + bomb.length);
        b = out;
        break;
      }
      case 3:
        b[i] = (b[i] ?? 0) ^ (1 << rng.int(0, 7));
        break;
      default: {
        const ins = Uint8Array.from({ length: rng.int(1, 8) }, () => rng.int(0, 255));
        const out = new Uint8Array(b.length + ins.length);
        out.set(b.subarray(0, i));
        out.set(ins, i);
        out.set(b.subarray(i), i + ins.length);
        b = out;
      }
    }
  }
  return b;
}

/** Let vitest's worker talk to its parent now and then: a long synchronous loop makes its RPC time out. */
const breathe = (n: number) => (n % 5000 === 4999 ? new Promise<void>((r) => setImmediate(r)) : undefined);

async function run(
  name: string,
  count: number,
  seed: number,
  make: (rng: ReturnType<typeof createRng>) => Uint8Array,
  parse: (b: Uint8Array) => unknown,
): Promise<number> {
  const rng = createRng(seed);
  let parsed = 0;
  for (let n = 0; n < count; n++) {
    await breathe(n);
    const input = make(rng);
    try {
      parse(input);
      parsed++;
    } catch (err) {
      if (!isChipError(err)) throw new Error(`${name}: input ${n} threw ${String(err)} (not a ChipError)`);
    }
  }
  return parsed;
}

const random = (max: number) => (rng: ReturnType<typeof createRng>) =>
  Uint8Array.from({ length: rng.int(0, max) }, () => rng.int(0, 255));
const mutated = (src: Uint8Array) => (rng: ReturnType<typeof createRng>) => mutate(rng, src);

describe('fuzz: card and file parsers never crash on garbage', { timeout: 600_000 }, () => {
  it('BER-TLV tree: 300,000 random + 100,000 mutated inputs', async () => {
    await run('tlv random', 300_000, 1, random(64), parseTlvTree);
    const parsed = await run('tlv mutated', 100_000, 2, mutated(doc.files.DG13), parseTlvTree);
    expect(parsed).toBeGreaterThan(0);
  });

  it('DG13: 250,000 mutated + 50,000 random inputs, and valid mutations still yield well-typed fields', async () => {
    const rng = createRng(3);
    let withId = 0;
    for (let n = 0; n < 250_000; n++) {
      await breathe(n);
      const input = mutate(rng, doc.files.DG13);
      try {
        const r = parseDg13(input);
        if (r.identity.idNumber !== undefined) {
          expect(r.identity.idNumber).toMatch(/^(\d{9}|\d{12})$/);
          withId++;
        }
      } catch (err) {
        if (!isChipError(err)) throw err;
      }
    }
    expect(withId).toBeGreaterThan(1000);
    await run('dg13 random', 50_000, 4, random(96), parseDg13);
  });

  it('EF.COM, DG1, DG2, DG14, DG15, EF.CardAccess, SOD, certificates, keys: 300,000 mutated inputs', async () => {
    const targets: [string, Uint8Array, (b: Uint8Array) => unknown][] = [
      ['COM', doc.files.COM, parseEfCom],
      ['DG1', doc.files.DG1, parseDg1],
      ['DG2', doc.files.DG2, parseDg2],
      ['DG14', doc.files.DG14, parseDg14],
      ['DG15', doc.files.DG15, (b) => parsePublicKeyInfo(parseDg15(b))],
      ['CardAccess', doc.files.CardAccess, parseSecurityInfos],
      ['SOD', doc.files.SOD, parseSod],
      ['certificate', doc.pki.documentSigner.der, parseCertificate],
    ];
    for (const [i, [name, src, parse]] of targets.entries()) await run(name, 37_500, 10 + i, mutated(src), parse);
  });

  it('APDUs and secure-messaging responses: 50,000 random inputs', async () => {
    await run('apdu', 20_000, 30, random(300), (b) => decodeApdu(b));
    await run('response', 10_000, 31, random(8), parseResponse);
    for (const suite of [tripleDes, aes128]) {
      const sm = new SecureMessaging(suite, new Uint8Array(16), new Uint8Array(16));
      await run(`sm ${suite.name}`, 10_000, 32, random(48), (b) => sm.unwrap({ data: b, sw: 0x9000 }));
    }
  });

  it('passive authentication on mutated SODs never throws (2,000 inputs)', async () => {
    const rng = createRng(40);
    const dgs = new Map([[1, doc.files.DG1]]);
    for (let n = 0; n < 2000; n++) {
      const r = await verifyPassiveAuthentication(mutate(rng, doc.files.SOD), dgs, { cscas: [doc.pki.csca.der] });
      expect(['passed', 'failed', 'no-trust-anchor']).toContain(r.status);
    }
  });
});
