import { describe, expect, it } from 'vitest';
import { ChipReader } from './ChipReader.js';
import { isChipError } from './errors.js';
import { OID } from './asn1.js';
import { SoftwareCard, createTestDocument, createTestPki } from './testing.js';

const pki = createTestPki();
const flipByte = (b: Uint8Array, i: number, mask: number) => {
  const out = b.slice();
  out[i] = (out[i] as number) ^ mask;
  return out;
};
const doc = createTestDocument({ pki });

async function readWith(
  card: SoftwareCard,
  key: Parameters<ChipReader['read']>[0]['key'],
  extra: Partial<Parameters<ChipReader['read']>[0]> = {},
) {
  const reader = await ChipReader.create({ transport: card, timeoutMs: 2000 });
  try {
    return await reader.read({ key, cscas: [pki.csca.der], ...extra });
  } finally {
    await reader.close();
  }
}

describe('ChipReader on the software card', () => {
  it('reads every file with PACE (CAN, brainpoolP256r1, AES) and passes passive, chip and active authentication', async () => {
    const r = await readWith(new SoftwareCard(doc), { can: doc.can });
    expect(r.accessControl).toMatchObject({ protocol: 'PACE', cipher: 'AES-128', curve: 'brainpoolP256r1' });
    expect(r.mrz).toBe(doc.mrz);
    expect(r.mrzData).toMatchObject({
      valid: true,
      personalNumber: '001099012345',
      documentNumber: '099012345',
      sex: 'M',
    });
    expect(r.issues).toEqual([]);
    expect(r.identity).toMatchObject({
      idNumber: '001099012345',
      fullName: 'NGUYỄN VĂN THỬ',
      dateOfBirth: { year: 1999, month: 3, day: 15 },
      sex: 'M',
      fatherName: 'NGUYỄN VĂN CHA',
      motherName: 'TRẦN THỊ MẸ',
      oldIdNumber: '012345678',
      cardType: 'cccd-chip-2021',
    });
    expect(r.portrait?.format).toBe('jpeg');
    expect(r.portrait?.bytes.subarray(0, 3)).toEqual(Uint8Array.of(0xff, 0xd8, 0xff));
    expect(r.authentication.passive.status).toBe('passed');
    expect(r.authentication.passive.dataGroups.map((d) => d.status)).toEqual([
      'match',
      'match',
      'match',
      'match',
      'match',
    ]);
    expect(r.authentication.chip.status).toBe('passed');
    expect(r.authentication.active.status).toBe('passed');
  });

  it('says plainly when no CSCA was given', async () => {
    const reader = await ChipReader.create({ transport: new SoftwareCard(doc) });
    const r = await reader.read({ key: { can: doc.can } });
    expect(r.authentication.passive.status).toBe('no-trust-anchor');
    expect(r.authentication.passive.issues.map((i) => i.code)).toContain('chip/no-trust-anchor');
  });

  it('refuses a wrong CAN with chip/access-denied', async () => {
    const err = await readWith(new SoftwareCard(doc), { can: '000000' }).catch((e) => e);
    expect(isChipError(err, 'chip/access-denied')).toBe(true);
  });

  it('reads with PACE over the MRZ key, and with 3DES PACE on P-256', async () => {
    const r = await readWith(new SoftwareCard(doc), { mrz: doc.mrzKey }, { files: ['DG1', 'SOD'] });
    expect(r.accessControl.protocol).toBe('PACE');
    expect(r.mrz).toBe(doc.mrz);
    const doc3 = createTestDocument({
      pki,
      paceProtocol: OID.paceEcdhGm3Des,
      paceParameterId: 12,
      caProtocol: OID.caEcdh3Des,
      chipKeyCurve: 'secp256r1',
    });
    const r3 = await readWith(new SoftwareCard(doc3), { can: doc3.can });
    expect(r3.accessControl).toMatchObject({ protocol: 'PACE', cipher: '3DES', curve: 'secp256r1' });
    expect(r3.authentication.chip.status).toBe('passed');
    expect(r3.authentication.passive.status).toBe('passed');
  });

  it('falls back to BAC when the chip refuses PACE with 6982, and BAC refuses a wrong MRZ key', async () => {
    const r = await readWith(new SoftwareCard(doc, { refusePace: true }), { can: doc.can, mrz: doc.mrzKey });
    expect(r.accessControl).toMatchObject({
      protocol: 'BAC',
      cipher: '3DES',
      paceFailure: { code: 'chip/status', sw: '6982' },
    });
    expect(r.authentication.passive.status).toBe('passed');
    expect(r.identity.idNumber).toBe('001099012345');
    const wrong = { ...doc.mrzKey, dateOfBirth: '990316' };
    const err = await readWith(new SoftwareCard(doc, { refusePace: true }), { mrz: wrong }).catch((e) => e);
    expect(isChipError(err, 'chip/access-denied')).toBe(true);
  });

  it('detects a tampered data group, a bad SOD signature and an unknown CSCA', async () => {
    const tampered = createTestDocument({ pki });
    tampered.files.DG13 = flipByte(tampered.files.DG13, 20, 0x01);
    const r1 = await readWith(new SoftwareCard(tampered), { can: tampered.can });
    expect(r1.authentication.passive.status).toBe('failed');
    expect(r1.authentication.passive.dataGroups.find((d) => d.dataGroup === 13)?.status).toBe('mismatch');

    const badSig = createTestDocument({ pki });
    badSig.files.SOD = flipByte(badSig.files.SOD, badSig.files.SOD.length - 5, 0x40);
    const r2 = await readWith(new SoftwareCard(badSig), { can: badSig.can });
    expect(r2.authentication.passive.status).toBe('failed');
    expect(r2.authentication.passive.signature).toBe('invalid');

    const r3 = await readWith(
      new SoftwareCard(doc),
      { can: doc.can },
      { cscas: [createTestPki({ cscaName: 'Other CSCA' }).csca.der] },
    );
    expect(r3.authentication.passive.signer).toBe('unknown-csca');
    expect(r3.authentication.passive.status).toBe('failed');
    // Same name as the real CSCA, different key: a forged CSCA.
    const r4 = await readWith(new SoftwareCard(doc), { can: doc.can }, { cscas: [createTestPki().csca.der] });
    expect(r4.authentication.passive.signer).toBe('invalid-certificate-signature');
    expect(r4.authentication.passive.status).toBe('failed');
  });

  it('returns a result, not an exception, for a malformed data group on the chip', async () => {
    const garbled = createTestDocument({ pki });
    garbled.files.DG2 = Uint8Array.of(0x75, 0x03, 0x7f, 0x61, 0x00);
    garbled.files.DG15 = Uint8Array.of(0x6f, 0x02, 0x30, 0x00);
    const r = await readWith(new SoftwareCard(garbled), { can: garbled.can });
    expect(r.portrait).toBeUndefined();
    expect(r.issues.filter((i) => i.code === 'chip/malformed-file').map((i) => i.path)).toEqual(['DG2']);
    expect(r.authentication.passive.status).toBe('failed');
    expect(r.authentication.active).toMatchObject({ status: 'failed', issues: [{ code: 'chip/aa-bad-key' }] });
    expect(r.identity.idNumber).toBe('001099012345');
  });

  it('catches a clone: same files, passive authentication passes, chip and active authentication fail', async () => {
    const r = await readWith(new SoftwareCard(doc, { clone: true }), { can: doc.can });
    expect(r.authentication.passive.status).toBe('passed');
    expect(r.authentication.chip.status).toBe('failed');
    expect(r.authentication.active.status).toBe('failed');
    expect(r.identity.idNumber).toBe('001099012345');
  });

  it('turns a pulled card, garbage, a cut-off response and silence into typed errors', async () => {
    for (const [kind, code] of [
      ['removed', 'chip/transport'],
      ['garbage', undefined],
      ['truncated', 'chip/bad-response'],
      ['silent', 'chip/timeout'],
    ] as const) {
      for (const afterApdus of [0, 3, 9, 20]) {
        const reader = await ChipReader.create({
          transport: new SoftwareCard(doc, { fault: { kind, afterApdus } }),
          timeoutMs: 50,
        });
        const err = await reader.read({ key: { can: doc.can } }).then(
          () => undefined,
          (e) => e,
        );
        if (err === undefined) continue; // a fault on an optional step may be absorbed; never a crash
        expect(isChipError(err), `${kind} after ${afterApdus}: ${String(err)}`).toBe(true);
        if (code) expect(err.code, `${kind} after ${afterApdus}`).toBe(code);
      }
    }
  });

  it('reports progress and is closed after close()', async () => {
    const events: string[] = [];
    const reader = await ChipReader.create({ transport: new SoftwareCard(doc) });
    await reader.read({
      key: { can: doc.can },
      onProgress: (p) => events.push(p.type === 'step' ? p.step : `${p.file}:${p.bytesRead}/${p.totalBytes}`),
    });
    expect(events).toContain('pace');
    expect(events.some((e) => e.startsWith('DG2:') && e.split(':')[1]?.split('/')[0] === e.split('/')[1])).toBe(true);
    await reader.close();
    await reader.close();
    const err = await reader.read({ key: { can: doc.can } }).catch((e) => e);
    expect(isChipError(err, 'chip/closed')).toBe(true);
  });
});
