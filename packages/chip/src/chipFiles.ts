import { type CitizenIdentity, type Issue, type ParsedMrz, issue, safeParseMrz } from '@smart-citizen/core';
import type { CertificateInfo } from './certificate.js';
import {
  type ChipFileName,
  type EfCom,
  type Portrait,
  dataGroupNumber,
  mrzLines,
  parseDg1,
  parseDg2,
  parseEfCom,
} from './dataGroups.js';
import { type Dg13Entry, parseDg13 } from './dg13.js';
import { isChipError } from './errors.js';
import { type PassiveAuthenticationResult, verifyPassiveAuthentication } from './passiveAuthentication.js';

/** The files of one chip as read (by a reader, or dumped by another tool), by name. */
export type ChipFiles = Partial<Record<ChipFileName | 'CardAccess', Uint8Array>>;

/** What the data groups say: EF.COM, DG1 (MRZ), DG2 (portrait), DG13 (identity), and issues. */
export interface ParsedChipFiles {
  com?: EfCom;
  /** DG1: the MRZ text as stored (TD1: 90 characters). */
  mrz?: string;
  /** DG1 parsed by core's `parseMrz` (TD1, Vietnamese personal number), without OCR repairs. */
  mrzData?: ParsedMrz;
  /** DG13 fields as a citizen identity (`{}` without DG13). */
  identity: CitizenIdentity;
  dg13Entries?: Dg13Entry[];
  /** DG2: the first facial image. */
  portrait?: Portrait;
  issues: Issue[];
}

/**
 * @internal A parser runner: a file that fails with a ChipError becomes a `chip/malformed-file`
 * issue in `issues` (passive authentication flags it too) and `undefined`, not a thrown error.
 */
export function fileParser(issues: Issue[]): <T>(name: string, f: () => T) => T | undefined {
  return (name, f) => {
    try {
      return f();
    } catch (err) {
      if (!isChipError(err)) throw err;
      issues.push(issue('chip/malformed-file', 'error', `${name} is malformed: ${err.message}`, name));
      return undefined;
    }
  };
}

/**
 * Parse the data groups of a chip: EF.COM, DG1 through core's MRZ parser, DG2's first portrait,
 * DG13 into a `CitizenIdentity`, and the DG1/DG13 personal-number cross-check. A malformed file
 * is an issue (`chip/malformed-file`), not a thrown error; authenticity is
 * {@link verifyChipFiles}' job.
 * @param files - the files as read, by name
 */
export function parseChipFiles(files: ChipFiles): ParsedChipFiles {
  const issues: Issue[] = [];
  const out: ParsedChipFiles = { identity: {}, issues };
  const parsed = fileParser(issues);
  const { COM, DG1, DG2, DG13 } = files;
  const com = COM ? parsed('COM', () => parseEfCom(COM)) : undefined;
  if (com) out.com = com;
  const mrz = DG1 ? parsed('DG1', () => parseDg1(DG1)) : undefined;
  if (mrz) {
    out.mrz = mrz;
    const lines = mrzLines(mrz);
    const parsedMrz = lines.length === 3 ? safeParseMrz(lines, { repair: false }) : undefined;
    if (parsedMrz?.ok) {
      out.mrzData = parsedMrz.value;
      if (!parsedMrz.value.valid)
        issues.push(issue('chip/dg1-mrz-invalid', 'error', 'DG1 MRZ fails a check digit or field rule', 'DG1'));
    } else issues.push(issue('chip/dg1-not-td1', 'warning', 'DG1 is not a TD1 zone the MRZ parser reads', 'DG1'));
  }
  const portrait = DG2 ? parsed('DG2', () => parseDg2(DG2)[0]) : undefined;
  if (portrait) out.portrait = portrait;
  const dg13 = DG13 ? parsed('DG13', () => parseDg13(DG13)) : undefined;
  if (dg13) {
    out.identity = { ...dg13.identity, cardType: cardTypeOf(dg13.identity) };
    out.dg13Entries = dg13.entries;
    issues.push(...dg13.issues);
  }
  // The two data groups are signed separately: a personal number that differs is worth a look.
  const mrzId = out.mrzData?.personalNumber;
  if (mrzId && out.identity.idNumber && mrzId !== out.identity.idNumber) {
    issues.push(
      issue(
        'chip/dg1-dg13-mismatch',
        'error',
        'the personal number in DG1 differs from the ID number in DG13',
        'idNumber',
      ),
    );
  }
  return out;
}

/** Options of {@link verifyChipFiles}. */
export interface VerifyChipFilesOptions {
  /** CSCA certificates to check the document signer against. Absent: `no-trust-anchor`. */
  cscas?: readonly (Uint8Array | CertificateInfo)[];
  /** Time of the certificate validity checks. @default new Date() */
  now?: Date;
}

/**
 * Passive authentication of the files: every data group present against EF.SOD, the SOD
 * signature, the document signer against the CSCAs. Without EF.SOD the result is `failed` with
 * `chip/no-sod`.
 */
export async function verifyChipFiles(
  files: ChipFiles,
  options: VerifyChipFilesOptions = {},
): Promise<PassiveAuthenticationResult> {
  const dgs = new Map<number, Uint8Array>();
  for (const [name, n] of Object.entries(dataGroupNumber)) {
    const b = files[name as ChipFileName];
    if (b && n !== undefined) dgs.set(n, b);
  }
  if (!files.SOD) {
    return {
      status: 'failed',
      dataGroups: [],
      notRead: [],
      signature: 'invalid',
      signer: 'no-trust-anchor',
      issues: [issue('chip/no-sod', 'error', 'EF.SOD could not be read')],
    };
  }
  return verifyPassiveAuthentication(files.SOD, dgs, {
    ...(options.cscas ? { cscas: options.cscas } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/** Chip cards issued from 1 July 2024 are Căn cước; earlier chip cards are CCCD. */
function cardTypeOf(identity: CitizenIdentity): NonNullable<CitizenIdentity['cardType']> {
  const d = identity.issueDate;
  if (!d) return 'unknown';
  const key = d.year * 10000 + (d.month ?? 1) * 100 + (d.day ?? 1);
  return key >= 20240701 ? 'can-cuoc-2024' : 'cccd-chip-2021';
}
