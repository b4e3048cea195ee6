import {
  type CitizenIdentity,
  type Clock,
  type DocumentReading,
  type EvidenceVerifiers,
  type Issue,
  issue,
  systemClock,
} from '@smart-citizen/core';
import type { CertificateInfo } from './certificate.js';
import { type ChipFiles, type ParsedChipFiles, parseChipFiles, verifyChipFiles } from './chipFiles.js';
import type { ChipReadResult } from './ChipReader.js';
import { type ChipFileName, chipFiles } from './dataGroups.js';
import { ChipError } from './errors.js';

/** Options of {@link chipEvidenceVerifiers}. */
export interface ChipEvidenceOptions {
  /** CSCA certificates the server trusts. Without them no chip counts as authenticated (`chip/no-trust-anchor`). */
  cscas?: readonly (Uint8Array | CertificateInfo)[];
  /** Time of the certificate validity checks. @default systemClock */
  clock?: Clock;
}

/** The part of a chip read the session weighs. */
export type ChipEvidenceInput = Pick<ChipReadResult, 'identity' | 'mrzData' | 'authentication' | 'issues' | 'portrait'>;

/**
 * Turn a chip read into session evidence (a `DocumentReading` of source `chip`): the DG13
 * identity, completed from DG1 where DG13 lacks a field (never the name: the MRZ has no
 * diacritics), and `authenticated` only when passive authentication passed against a CSCA
 * **and** neither chip nor active authentication failed. A chip whose data the issuer signed
 * but which cannot prove it holds the chip's private key is a clone: `chip/clone-suspected`.
 * Every finding of the reader and of the three authentications goes into `issues` (info
 * remarks left out), so a reviewer sees why the chip did not count.
 * @param read - a {@link ChipReadResult}, or the same fields from {@link chipEvidenceVerifiers}
 */
export function chipReadingEvidence(read: ChipEvidenceInput): DocumentReading {
  const { passive, chip, active } = read.authentication;
  const issues: Issue[] = [...read.issues, ...passive.issues, ...chip.issues, ...active.issues].filter(
    (i) => i.severity !== 'info',
  );
  const cloneCheckFailed = chip.status === 'failed' || active.status === 'failed';
  if (cloneCheckFailed && passive.status !== 'failed') {
    const which = [chip.status === 'failed' ? 'chip' : '', active.status === 'failed' ? 'active' : '']
      .filter(Boolean)
      .join(' and ');
    issues.push(
      issue(
        'chip/clone-suspected',
        'error',
        `the data groups carry the issuer's signature but the chip failed ${which} authentication: a copy of another chip`,
      ),
    );
  }
  return {
    fields: identityFields(read),
    confidence: 1,
    issues,
    authenticated: passive.status === 'passed' && !cloneCheckFailed,
    // The DG2 image: the session's face reference when no template is enrolled (authenticated chips only).
    ...(read.portrait ? { portrait: read.portrait.bytes } : {}),
  };
}

function identityFields(read: Pick<ChipEvidenceInput, 'identity' | 'mrzData'>): Partial<CitizenIdentity> {
  const fields: Partial<CitizenIdentity> = { ...read.identity };
  const m = read.mrzData;
  if (m?.valid) {
    if (!fields.idNumber && m.personalNumber) fields.idNumber = m.personalNumber;
    if (!fields.dateOfBirth && m.dateOfBirth) fields.dateOfBirth = m.dateOfBirth;
    if (!fields.sex && m.sex) fields.sex = m.sex;
    if (!fields.expiryDate && m.expiryDate) fields.expiryDate = m.expiryDate;
  }
  return fields;
}

const fileNames = Object.keys(chipFiles) as ChipFileName[];

/** The known files of a raw `chip` evidence record; anything else is ignored. */
function filesOf(dataGroups: Readonly<Record<string, Uint8Array>>): ChipFiles {
  if (typeof dataGroups !== 'object' || dataGroups === null)
    throw new ChipError('chip/bad-data', 'chip evidence must map file names to bytes');
  const files: ChipFiles = {};
  for (const name of fileNames) {
    const b = dataGroups[name];
    if (b === undefined) continue;
    if (!(b instanceof Uint8Array)) throw new ChipError('chip/bad-data', `chip evidence: ${name} is not bytes`);
    files[name] = b;
  }
  if (!files.DG1 && !files.DG13) throw new ChipError('chip/bad-data', 'chip evidence holds neither DG1 nor DG13');
  return files;
}

/**
 * Wire chip reading into core's `decideFromRawEvidence` as its `chip` verifier: the server
 * parses the data groups the client sent (`RawEvidence.chip`: `DG1`, `DG2`, `DG13`, `DG14`,
 * `DG15`, `SOD`, `COM` by name) and re-runs passive authentication against its own CSCAs, so a
 * client cannot claim an authenticated chip. Chip and active authentication need the card in
 * the reader, so on this path they are `not-available`; a desk that reads the chip itself
 * passes its {@link ChipReadResult} to {@link chipReadingEvidence} instead, which counts them.
 * Input that is not a chip record (no DG1/DG13, a value that is not bytes) throws `chip/bad-data`,
 * which the session records as `evidence/chip-unreadable`.
 * @param options - {@link ChipEvidenceOptions}
 * @returns The `chip` entry of `EvidenceVerifiers`.
 * @example
 * const verifiers = combineEvidenceVerifiers(chipEvidenceVerifiers({ cscas }), faceEvidenceVerifiers(face));
 * const decision = await decideFromRawEvidence({ chip: { DG1, DG2, DG13, SOD } }, verifiers, store, { audit });
 */
export function chipEvidenceVerifiers(options: ChipEvidenceOptions = {}): Required<Pick<EvidenceVerifiers, 'chip'>> {
  const clock = options.clock ?? systemClock;
  return {
    async chip(dataGroups) {
      const files = filesOf(dataGroups);
      const passive = await verifyChipFiles(files, {
        ...(options.cscas ? { cscas: options.cscas } : {}),
        now: new Date(clock.now()),
      });
      const parsed: ParsedChipFiles = parseChipFiles(files);
      return chipReadingEvidence({
        identity: parsed.identity,
        ...(parsed.mrzData ? { mrzData: parsed.mrzData } : {}),
        ...(parsed.portrait ? { portrait: parsed.portrait } : {}),
        issues: parsed.issues,
        authentication: {
          passive,
          chip: { status: 'not-available', issues: [] },
          active: { status: 'not-available', issues: [] },
        },
      });
    },
  };
}
