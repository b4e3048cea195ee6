import { X509Certificate, createHash, constants, generateKeyPairSync, privateEncrypt, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyIso9796 } from './activeAuthentication.js';
import { OID } from './asn1.js';
import { bytesToBigInt, concat } from './bytes.js';
import { parseCertificate, readCertificates } from './certificate.js';
import { parsePublicKeyInfo, verifySignature } from './crypto/signature.js';
import { verifyPassiveAuthentication } from './passiveAuthentication.js';
import { parseSod } from './sod.js';
import { createTestDocument, createTestPki } from './testing.js';

const pki = createTestPki();
const doc = createTestDocument({ pki });
const dgs = new Map<number, Uint8Array>([
  [1, doc.files.DG1],
  [2, doc.files.DG2],
  [13, doc.files.DG13],
  [14, doc.files.DG14],
  [15, doc.files.DG15],
]);

describe('test PKI and SOD, checked by an independent implementation (node:crypto / OpenSSL)', () => {
  it('the document signer certificate verifies under the CSCA and the SOD signature under the document signer', () => {
    const csca = new X509Certificate(pki.csca.der);
    const ds = new X509Certificate(pki.documentSigner.der);
    expect(csca.verify(csca.publicKey)).toBe(true);
    expect(ds.verify(csca.publicKey)).toBe(true);
    expect(ds.checkIssued(csca)).toBe(true);
    const sod = parseSod(doc.files.SOD);
    expect(sod.signer.signedAttributes).toBeDefined();
    expect(verify('sha256', sod.signer.signedAttributes as Uint8Array, ds.publicKey, sod.signer.signature)).toBe(true);
    expect(createHash('sha256').update(sod.content).digest()).toEqual(
      Buffer.from(sod.signer.messageDigest as Uint8Array),
    );
    expect(Buffer.from(sod.dataGroupHashes.get(13) as Uint8Array)).toEqual(
      createHash('sha256').update(doc.files.DG13).digest(),
    );
  });

  it('parses certificates from DER and PEM', () => {
    const pem = new X509Certificate(pki.csca.der).toString();
    const [fromPem] = readCertificates(pem);
    expect(fromPem?.subject).toBe('C=VN, O=Smart Citizen test PKI, CN=Test CSCA Viet Nam');
    expect(parseCertificate(pki.documentSigner.der).issuer).toBe(fromPem?.subject);
  });
});

describe('verifyPassiveAuthentication', () => {
  it('passes, lists data groups the SOD has but were not read, and fails on a missing hash', async () => {
    const some = new Map([...dgs].filter(([n]) => n !== 2));
    const r = await verifyPassiveAuthentication(doc.files.SOD, some, { cscas: [pki.csca.der] });
    expect(r.status).toBe('passed');
    expect(r.notRead).toEqual([2]);
    expect(r.csca?.subject).toContain('Test CSCA');
    const extra = new Map(dgs).set(3, Uint8Array.of(0x63, 0));
    expect((await verifyPassiveAuthentication(doc.files.SOD, extra, { cscas: [pki.csca.der] })).status).toBe('failed');
  });

  it('never throws on a malformed SOD: failed with an issue', async () => {
    for (const sod of [
      new Uint8Array(0),
      Uint8Array.of(0x77, 0x05, 1, 2),
      doc.files.SOD.subarray(0, 200),
      doc.files.DG1,
    ]) {
      const r = await verifyPassiveAuthentication(sod, dgs, { cscas: [pki.csca.der] });
      expect(r.status).toBe('failed');
      expect(r.issues.length).toBeGreaterThan(0);
    }
  });

  it('warns when the document signer is outside its validity period, and does not trust an unparseable CSCA', async () => {
    const r = await verifyPassiveAuthentication(doc.files.SOD, dgs, {
      cscas: [pki.csca.der],
      now: new Date('2100-01-01'),
    });
    expect(r.issues.map((i) => i.code)).toContain('chip/ds-outside-validity');
    const bad = await verifyPassiveAuthentication(doc.files.SOD, dgs, { cscas: [Uint8Array.of(0x30, 0x03, 2, 1, 1)] });
    expect(bad.signer).toBe('unknown-csca');
  });
});

describe('RSA signatures (document signers and active authentication keys of other issuers)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const data = new TextEncoder().encode('signed attributes');

  it('verifies RSA PKCS#1 v1.5 and RSA-PSS through WebCrypto', async () => {
    const key = parsePublicKeyInfo(spki);
    const pkcs1 = new Uint8Array(sign('sha256', data, privateKey));
    expect(await verifySignature(key, { oid: '1.2.840.113549.1.1.11' }, data, pkcs1)).toBe('valid');
    expect(await verifySignature(key, { oid: OID.rsaEncryption }, data, pkcs1, OID.sha256)).toBe('valid');
    expect(await verifySignature(key, { oid: '1.2.840.113549.1.1.11' }, data.slice(1), pkcs1)).toBe('invalid');
    const pss = new Uint8Array(
      sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    const params = Uint8Array.from(
      Buffer.from(
        '3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120',
        'hex',
      ),
    );
    const pssAlg = {
      oid: OID.rsaPss,
      params: { tag: 0x30, constructed: true, value: params.subarray(2), start: 0, end: params.length },
    };
    expect(await verifySignature(key, pssAlg, data, pss)).toBe('valid');
  });

  it('verifies an ISO/IEC 9796-2 scheme 1 active authentication signature (SHA-1, trailer BC)', () => {
    const challenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const k = 256;
    const m1 = new Uint8Array(k - 1 - 20 - 1).fill(0x5a);
    const h = new Uint8Array(createHash('sha1').update(concat(m1, challenge)).digest());
    const f = concat(Uint8Array.of(0x6a), m1, h, Uint8Array.of(0xbc));
    const sig = new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, f));
    const jwk = publicKey.export({ format: 'jwk' });
    const n = bytesToBigInt(Uint8Array.from(Buffer.from(jwk.n as string, 'base64url')));
    const e = bytesToBigInt(Uint8Array.from(Buffer.from(jwk.e as string, 'base64url')));
    expect(verifyIso9796(n, e, sig, challenge)).toBe(true);
    expect(verifyIso9796(n, e, sig, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 9))).toBe(false);
  });
});
