import { type Issue, issue } from '@smart-citizen/core';
import { OID } from './asn1.js';
import { equalBytes } from './bytes.js';
import { type CertificateInfo, parseCertificate } from './certificate.js';
import { type PublicKeyInfo, digests, parsePublicKeyInfo, verifySignature } from './crypto/signature.js';
import { isChipError } from './errors.js';
import { type SecurityObject, parseSod } from './sod.js';

/** Hash check of one data group against the SOD. */
export interface DataGroupHashCheck {
  dataGroup: number;
  status: 'match' | 'mismatch' | 'not-in-sod';
}

/**
 * Passive authentication (ICAO 9303-11 §5.1): the data groups are the ones the issuer signed.
 * `status` is `passed` only when every data group read matches its SOD hash, the SOD signature
 * checks out against its document signer certificate and that certificate chains to a CSCA of
 * the trust list; `no-trust-anchor` says plainly that the first two held but no CSCA was given,
 * so nothing ties the signer to the issuing state.
 */
export interface PassiveAuthenticationResult {
  status: 'passed' | 'failed' | 'no-trust-anchor';
  dataGroups: DataGroupHashCheck[];
  /** Data groups the SOD lists but that were not read (not a failure). */
  notRead: number[];
  /** The SOD signature over its LDS security object, with the document signer's key. */
  signature: 'valid' | 'invalid' | 'unsupported' | 'no-signer-certificate';
  /** The document signer certificate against the trust list. */
  signer: 'trusted' | 'unknown-csca' | 'invalid-certificate-signature' | 'no-trust-anchor' | 'unsupported';
  /** The document signer certificate (a state authority's certificate, not personal data). */
  documentSigner?: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string };
  /** The CSCA it chained to. */
  csca?: { subject: string; serialNumber: string };
  issues: Issue[];
}

/** Options of {@link verifyPassiveAuthentication}. */
export interface PassiveAuthenticationOptions {
  /** Country signing CA certificates the integrator trusts (DER or parsed). Empty or absent: `no-trust-anchor`. */
  cscas?: readonly (Uint8Array | CertificateInfo)[];
  /** Time used for the validity checks. @default new Date() */
  now?: Date;
}

/** The certificate's key, or `unsupported` when its SubjectPublicKeyInfo does not parse. */
function publicKeyOf(cert: CertificateInfo): PublicKeyInfo {
  try {
    return parsePublicKeyInfo(cert.publicKeyInfo);
  } catch {
    return { type: 'unsupported', algorithm: 'unparseable SubjectPublicKeyInfo', der: cert.publicKeyInfo };
  }
}

function signerMatches(sod: SecurityObject, cert: CertificateInfo): boolean {
  const sid = sod.signer.sid;
  if ('issuer' in sid) {
    const serial = sid.serial[0] === 0 && sid.serial.length > 1 ? sid.serial.subarray(1) : sid.serial;
    const hexSerial = [...serial]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
    return equalBytes(sid.issuer, cert.issuerDer) && cert.serialNumber.replace(/^(00)+(?=.)/, '') === hexSerial;
  }
  return true;
}

/**
 * Check data groups against a SOD: hashes, SOD signature, document signer against the CSCAs.
 * Never throws for a malformed SOD or certificate: that is a `failed` result with an issue.
 * @param sodBytes - EF.SOD as read (tag 77)
 * @param dataGroups - data-group number → file bytes as read
 */
export async function verifyPassiveAuthentication(
  sodBytes: Uint8Array,
  dataGroups: ReadonlyMap<number, Uint8Array>,
  options: PassiveAuthenticationOptions = {},
): Promise<PassiveAuthenticationResult> {
  const issues: Issue[] = [];
  const result: PassiveAuthenticationResult = {
    status: 'failed',
    dataGroups: [],
    notRead: [],
    signature: 'invalid',
    signer: 'no-trust-anchor',
    issues,
  };
  let sod: SecurityObject;
  try {
    sod = parseSod(sodBytes);
  } catch (err) {
    issues.push(
      issue('chip/sod-malformed', 'error', `SOD cannot be parsed: ${isChipError(err) ? err.message : 'unknown error'}`),
    );
    return result;
  }
  const digest = digests[sod.hashAlgorithm];
  if (!digest) {
    issues.push(
      issue('chip/sod-unsupported-hash', 'error', `SOD hash algorithm ${sod.hashAlgorithm} is not supported`),
    );
    result.signature = 'unsupported';
    return result;
  }
  for (const [n, bytes] of [...dataGroups].sort((a, b) => a[0] - b[0])) {
    const expected = sod.dataGroupHashes.get(n);
    const status =
      expected === undefined ? 'not-in-sod' : equalBytes(expected, digest.hash(bytes)) ? 'match' : 'mismatch';
    result.dataGroups.push({ dataGroup: n, status });
    if (status === 'mismatch')
      issues.push(
        issue(
          'chip/dg-hash-mismatch',
          'error',
          `DG${n} does not match its hash in the SOD: the data was altered`,
          `DG${n}`,
        ),
      );
    if (status === 'not-in-sod')
      issues.push(issue('chip/dg-not-in-sod', 'error', `DG${n} is not listed in the SOD`, `DG${n}`));
  }
  result.notRead = [...sod.dataGroupHashes.keys()].filter((n) => !dataGroups.has(n)).sort((a, b) => a - b);

  // SOD signature with the document signer certificate
  let ds: CertificateInfo | undefined;
  for (const der of sod.certificates) {
    try {
      const c = parseCertificate(der);
      if (signerMatches(sod, c)) ds = c;
    } catch {
      issues.push(issue('chip/sod-bad-certificate', 'warning', 'a certificate in the SOD cannot be parsed'));
    }
  }
  if (!ds) {
    result.signature = 'no-signer-certificate';
    issues.push(
      issue('chip/sod-no-signer', 'error', 'the SOD carries no document signer certificate matching its signer'),
    );
  } else {
    result.documentSigner = {
      subject: ds.subject,
      issuer: ds.issuer,
      serialNumber: ds.serialNumber,
      notBefore: ds.notBefore.toISOString(),
      notAfter: ds.notAfter.toISOString(),
    };
    const { signer } = sod;
    let signed = sod.content;
    if (signer.signedAttributes) {
      const d = digests[signer.digestAlgorithm];
      if (!d || !signer.messageDigest || !equalBytes(d.hash(sod.content), signer.messageDigest)) {
        issues.push(
          issue('chip/sod-message-digest', 'error', 'the SOD messageDigest attribute does not match its content'),
        );
        result.signature = 'invalid';
      }
      if (signer.contentType !== undefined && signer.contentType !== OID.ldsSecurityObject) {
        issues.push(
          issue('chip/sod-content-type', 'error', 'the SOD contentType attribute is not the LDS security object'),
        );
        result.signature = 'invalid';
      }
      signed = signer.signedAttributes;
    }
    const check = await verifySignature(
      publicKeyOf(ds),
      signer.signatureAlgorithm,
      signed,
      signer.signature,
      signer.digestAlgorithm,
    );
    if (issues.some((i) => i.code === 'chip/sod-message-digest' || i.code === 'chip/sod-content-type'))
      result.signature = 'invalid';
    else result.signature = check;
    if (check === 'invalid')
      issues.push(
        issue(
          'chip/sod-bad-signature',
          'error',
          'the SOD signature does not verify with its document signer certificate',
        ),
      );
    if (check === 'unsupported')
      issues.push(
        issue(
          'chip/sod-unsupported-signature',
          'error',
          `SOD signature algorithm ${signer.signatureAlgorithm.oid} is not supported`,
        ),
      );
    const now = options.now ?? new Date();
    if (now < ds.notBefore || now > ds.notAfter) {
      issues.push(
        issue(
          'chip/ds-outside-validity',
          'warning',
          'the document signer certificate is outside its validity period (normal for documents older than the signer key usage period)',
        ),
      );
    }
    const chain = await checkSigner(ds, options.cscas ?? [], issues);
    result.signer = chain.signer;
    if (chain.csca) result.csca = { subject: chain.csca.subject, serialNumber: chain.csca.serialNumber };
  }

  const hashesOk = result.dataGroups.length > 0 && result.dataGroups.every((d) => d.status === 'match');
  if (!hashesOk && result.dataGroups.length === 0)
    issues.push(issue('chip/no-data-groups', 'error', 'no data group was given to check'));
  if (hashesOk && result.signature === 'valid' && result.signer === 'trusted') result.status = 'passed';
  else if (hashesOk && result.signature === 'valid' && result.signer === 'no-trust-anchor')
    result.status = 'no-trust-anchor';
  return result;
}

async function checkSigner(
  ds: CertificateInfo,
  cscaInput: readonly (Uint8Array | CertificateInfo)[],
  issues: Issue[],
): Promise<{ signer: PassiveAuthenticationResult['signer']; csca?: CertificateInfo }> {
  if (cscaInput.length === 0) {
    issues.push(
      issue(
        'chip/no-trust-anchor',
        'warning',
        'no CSCA certificate was given: the SOD signer is not tied to the issuing state',
      ),
    );
    return { signer: 'no-trust-anchor' };
  }
  const cscas: CertificateInfo[] = [];
  for (const c of cscaInput) {
    try {
      cscas.push(c instanceof Uint8Array ? parseCertificate(c) : c);
    } catch {
      issues.push(
        issue('chip/csca-bad-certificate', 'warning', 'a CSCA certificate of the trust list cannot be parsed'),
      );
    }
  }
  const candidates = cscas.filter((c) => equalBytes(c.subjectDer, ds.issuerDer));
  let outcome: PassiveAuthenticationResult['signer'] = 'unknown-csca';
  for (const csca of candidates) {
    const check = await verifySignature(publicKeyOf(csca), ds.signatureAlgorithm, ds.tbs, ds.signature);
    if (check === 'valid') return { signer: 'trusted', csca };
    outcome = check === 'unsupported' && outcome === 'unknown-csca' ? 'unsupported' : 'invalid-certificate-signature';
  }
  if (outcome === 'unknown-csca')
    issues.push(
      issue('chip/unknown-csca', 'error', 'the document signer was not issued by any CSCA of the trust list'),
    );
  if (outcome === 'invalid-certificate-signature')
    issues.push(
      issue(
        'chip/ds-bad-signature',
        'error',
        'the document signer certificate signature does not verify with its CSCA',
      ),
    );
  if (outcome === 'unsupported')
    issues.push(
      issue(
        'chip/ds-unsupported-signature',
        'error',
        'the document signer certificate signature algorithm is not supported',
      ),
    );
  return { signer: outcome };
}
