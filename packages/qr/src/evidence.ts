import type { EvidenceVerifiers } from '@smart-citizen/core';
import { parseCardQr } from './parse/parseCardQr.js';

/** Options of {@link qrEvidenceVerifiers}. */
export interface QrEvidenceOptions {
  /**
   * The date payload dates are checked against (a date of birth or issue date after it is an issue).
   * @default the current date at each call
   */
  today?: Date;
}

/**
 * Wire {@link parseCardQr} into core's `decideFromRawEvidence` as its `qr` verifier: the server
 * re-parses the raw payload text the client sent. A payload that is not a card payload throws a
 * typed `qr/*` error, which the session records as the reason `evidence/qr-unreadable`; problems in
 * the data (`id/*`, `qr/*`, `date/*`) come back as the reading's issues. Remarks of severity
 * `info` (e.g. `qr/extra-fields`) are not findings and are left out.
 * @param options - {@link QrEvidenceOptions}
 * @returns The `qr` entry of `EvidenceVerifiers`.
 * @example
 * const verifiers = combineEvidenceVerifiers(qrEvidenceVerifiers(), faceEvidenceVerifiers(face));
 * const decision = await decideFromRawEvidence({ qrPayload: text }, verifiers, store, { audit });
 */
export function qrEvidenceVerifiers(options: QrEvidenceOptions = {}): Required<Pick<EvidenceVerifiers, 'qr'>> {
  const today = options.today;
  return {
    qr(payloadText) {
      const r = parseCardQr(payloadText, today ? { today } : {});
      return { fields: r.identity, confidence: 1, issues: r.issues.filter((i) => i.severity !== 'info') };
    },
  };
}
