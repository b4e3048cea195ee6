import { SmartCitizenError } from '../errors/index.js';
import { isIdNumberFormat } from '../rules/idNumber.js';

/** What a consent covers: which kind of biometric or identity processing. */
export type ConsentScope = 'face' | 'face-search' | 'fingerprint' | 'chip' | 'identity';

/** The consent scopes, for validation. */
export const consentScopes: readonly ConsentScope[] = ['face', 'face-search', 'fingerprint', 'chip', 'identity'];

/** A consent to record (Decree 13/2023, Law 91/2025: purpose, scope, time). */
export interface ConsentInput {
  /** The citizen giving consent (12-digit ID number). */
  idNumber: string;
  /** The purpose it was given for, e.g. `identification:desk`. Matched exactly. */
  purpose: string;
  /** What processing it covers. */
  scope: readonly ConsentScope[];
  /**
   * When it was given (ms since epoch).
   * @default the store's clock
   */
  grantedAt?: number;
  /** When it lapses, if it does. */
  expiresAt?: number;
  /** Opaque, non-personal reference to the signed form or the kiosk screen that captured it. */
  reference?: string;
}

/** A stored consent. */
export interface ConsentRecord {
  id: string;
  idNumber: string;
  purpose: string;
  scope: ConsentScope[];
  grantedAt: number;
  expiresAt: number | null;
  /** When it was withdrawn; `null` while in force. */
  withdrawnAt: number | null;
  reference: string | null;
}

/**
 * True when `record` covers `scope` for `purpose` at time `now` (granted, not expired, not withdrawn).
 * @param record - a consent
 * @param scope - the processing about to happen
 * @param purpose - why
 * @param now - ms since epoch
 */
export function isConsentActive(record: ConsentRecord, scope: ConsentScope, purpose: string, now: number): boolean {
  return (
    record.purpose === purpose &&
    record.scope.includes(scope) &&
    record.grantedAt <= now &&
    (record.expiresAt === null || record.expiresAt > now) &&
    (record.withdrawnAt === null || record.withdrawnAt > now)
  );
}

/**
 * The first consent in `records` that covers `scope` for `purpose` at `now`.
 * @returns the consent or `undefined`
 */
export function findActiveConsent(
  records: readonly ConsentRecord[],
  scope: ConsentScope,
  purpose: string,
  now: number,
): ConsentRecord | undefined {
  return records.find((r) => isConsentActive(r, scope, purpose, now));
}

/** Anything that can list a citizen's consents (every `IdentityStore`). */
export interface ConsentSource {
  listConsents(idNumber: string): Promise<ConsentRecord[]>;
}

/**
 * Check consent before biometric processing.
 * @param source - where consents are stored
 * @param idNumber - the citizen
 * @param scope - the processing about to happen
 * @param purpose - why
 * @param now - ms since epoch
 * @returns the consent that allows it
 * @throws SmartCitizenError `privacy/consent-missing` when none is in force
 */
export async function requireConsent(
  source: ConsentSource,
  idNumber: string,
  scope: ConsentScope,
  purpose: string,
  now: number,
): Promise<ConsentRecord> {
  const found = findActiveConsent(await source.listConsents(idNumber), scope, purpose, now);
  if (!found) {
    throw new SmartCitizenError('privacy/consent-missing', 'no consent in force covers this processing', {
      details: { scope, purpose },
    });
  }
  return found;
}

/**
 * Validate a consent input.
 * @internal shared by the store adapters
 */
export function checkConsentInput(input: ConsentInput, pkg = 'core'): void {
  const bad = (m: string) => new SmartCitizenError('store/invalid-consent', m, { pkg });
  if (typeof input.purpose !== 'string' || input.purpose.length === 0 || input.purpose.length > 300) {
    throw bad('consent needs a purpose (1–300 characters)');
  }
  if (!Array.isArray(input.scope) || input.scope.length === 0) throw bad('consent needs at least one scope');
  for (const s of input.scope) if (!consentScopes.includes(s)) throw bad(`unknown consent scope ${String(s)}`);
  for (const t of [input.grantedAt, input.expiresAt]) {
    if (t !== undefined && !Number.isSafeInteger(t)) throw bad('consent times must be integers (ms)');
  }
  if (input.reference !== undefined && (typeof input.reference !== 'string' || input.reference.length > 200)) {
    throw bad('consent reference must be a short string');
  }
}

/**
 * Validate a consent input and build the record a store keeps for it (a new id, times
 * defaulted to `now`, not withdrawn).
 * @internal shared by the store adapters
 * @param input - the consent to record
 * @param now - the store's clock time (ms)
 * @param pkg - the package named in errors
 * @returns the record to store
 */
export function newConsentRecord(input: ConsentInput, now: number, pkg = 'core'): ConsentRecord {
  checkConsentInput(input, pkg);
  if (!isIdNumberFormat(input.idNumber)) {
    throw new SmartCitizenError('store/invalid-consent', 'consent needs a 12-digit ID number', { pkg });
  }
  return {
    id: globalThis.crypto.randomUUID(),
    idNumber: input.idNumber,
    purpose: input.purpose,
    scope: [...input.scope],
    grantedAt: input.grantedAt ?? now,
    expiresAt: input.expiresAt ?? null,
    withdrawnAt: null,
    reference: input.reference ?? null,
  };
}
