// The kiosk session's chip step: which access key the read uses (a key sent with the request,
// else the CAN of the card whose QR the session read), the read on the kiosk's own reader, the
// audit entry, and the evidence the decision weighs. Because this server reads the chip itself,
// chip and active authentication count (a clone fails them), not only passive authentication;
// an authenticated chip's DG2 portrait is then the face reference instead of the printed one.
import { type AccessKey, type ChipFiles, canFromIdNumber, chipReadingEvidence } from '@smart-citizen/chip';
import type { AuditLog, DocumentReading, EvidenceVerifiers, IdentityStore, RawEvidence } from '@smart-citizen/core';
import { type ChipStation, chipError } from './chipStation.js';

/** What a session keeps of a chip read until the decision: the server's own reading. */
export interface ChipSessionEvidence {
  /** The reading as session evidence (identity fields, issues, `authenticated`, DG2 portrait). */
  reading: DocumentReading;
  /** The files read (they name the `chip` row in the raw evidence; the verifier returns `reading`). */
  files: ChipFiles;
}

/** The access key a chip read request may carry (the schema of the route says the formats). */
export interface ChipKeyInput {
  can?: string;
  mrz?: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string };
}

/** The session fields the chip step reads and sets. */
export interface ChipStepSession {
  id: string;
  qrPayload?: string | undefined;
  idNumber?: string | undefined;
  chip?: ChipSessionEvidence | undefined;
}

/** Codes only: what a kiosk may show or log. */
const codes = (issues: readonly { code: string }[]) => [...new Set(issues.map((i) => i.code))];

/** The key: what the request sent, else the CAN from the ID number the session's QR gave. */
export function chipKey(input: ChipKeyInput, idNumber: string | undefined): AccessKey {
  if (input.can !== undefined || input.mrz !== undefined) {
    return { ...(input.can !== undefined ? { can: input.can } : {}), ...(input.mrz ? { mrz: input.mrz } : {}) };
  }
  if (idNumber && /^\d{12}$/.test(idNumber)) return { can: canFromIdNumber(idNumber) };
  throw chipError('chip/no-key', 409);
}

/**
 * Read the chip on the kiosk's reader into the session.
 * @returns the identity to confirm, whether the chip is authenticated, the three checks' statuses and issue codes
 */
export async function readChipIntoSession(
  s: ChipStepSession,
  input: ChipKeyInput,
  deps: { station: ChipStation; store: IdentityStore; audit: AuditLog; actor: string; purpose: string },
) {
  const key = chipKey(input, s.idNumber);
  const started = performance.now();
  let read: Awaited<ReturnType<ChipStation['read']>>;
  try {
    read = await deps.station.read(key);
  } catch (err) {
    await deps.audit.append({
      actor: deps.actor,
      action: 'chip.read-failed',
      ...(s.idNumber ? { subject: s.idNumber } : {}),
      purpose: deps.purpose,
      details: { session: s.id, code: (err as { code?: string }).code ?? 'error' },
    });
    throw err;
  }
  const reading = chipReadingEvidence(read);
  const idNumber = reading.fields.idNumber;
  const { passive, chip, active } = read.authentication;
  const guidance: string[] = [];
  if (s.idNumber && idNumber !== s.idNumber) {
    // Another card than the one whose QR was read (a typed key opened it): the QR is not this card's.
    s.qrPayload = undefined;
    guidance.push('kiosk/chip-other-card');
  }
  s.idNumber = idNumber;
  s.chip = { reading, files: read.files };
  await deps.audit.append({
    actor: deps.actor,
    action: 'chip.read',
    ...(idNumber ? { subject: idNumber } : {}),
    purpose: deps.purpose,
    details: {
      session: s.id,
      protocol: read.accessControl.protocol,
      passive: passive.status,
      chipAuthentication: chip.status,
      activeAuthentication: active.status,
      authenticated: reading.authenticated === true,
      apdus: read.apdus,
      ms: Math.round(performance.now() - started),
    },
  });
  const record = idNumber ? await deps.store.get(idNumber) : undefined;
  return {
    reading,
    known: record !== undefined,
    authenticated: reading.authenticated === true,
    checks: { passive: passive.status, chip: chip.status, active: active.status },
    protocol: read.accessControl.protocol,
    portrait: reading.portrait !== undefined,
    issues: [...codes(reading.issues), ...guidance],
  };
}

/**
 * The chip's part of a decision: the raw `chip` record and its verifier, which returns the
 * server's own reading (read here, so chip and active authentication count).
 */
export function chipDecisionInput(
  chip: ChipSessionEvidence | undefined,
): { raw: Pick<RawEvidence, 'chip'>; verifiers: Pick<EvidenceVerifiers, 'chip'> } | undefined {
  if (!chip) return undefined;
  return {
    raw: { chip: chip.files as Record<string, Uint8Array> },
    verifiers: { chip: async () => chip.reading },
  };
}
