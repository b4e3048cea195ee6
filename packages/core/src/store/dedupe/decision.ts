import { SmartCitizenError } from '../../errors/index.js';
import type { AuditEntry, AuditLog } from '../../privacy/AuditLog.js';
import { isIdNumberFormat } from '../../rules/idNumber.js';

/** A reviewer's decision on a proposed cluster or conflict. Nothing is merged by the SDK. */
export type DedupeDecision = 'same-person' | 'different-people' | 'needs-more-evidence';

export const dedupeDecisions: readonly DedupeDecision[] = ['same-person', 'different-people', 'needs-more-evidence'];

/** Input of {@link recordDedupeDecision}. */
export interface DedupeDecisionInput {
  /** The reviewer (operator id, not a name). */
  actor: string;
  /** The accounts decided on (2…50 ID numbers). */
  ids: readonly string[];
  decision: DedupeDecision;
  /** What was proposed: a face cluster or a card-data conflict. */
  proposal: 'face-cluster' | 'card-conflict';
  /**
   * Legal purpose for the audit log.
   * @default 'account-deduplication'
   */
  purpose?: string;
  /** Ticket or case reference (no personal data), e.g. `CASE-2026-0142`. */
  reference?: string;
}

/**
 * Record a reviewer's decision on a dedupe proposal in the audit log (action
 * `identity.dedupe-decision`, one entry per decision, subject = the first ID number). The SDK
 * never merges accounts; acting on `same-person` is the portal's own step.
 * @param audit - the audit log
 * @param input - who decided what about which accounts
 * @returns the audit entry
 * @throws SmartCitizenError `dedupe/invalid-decision` for a bad decision, ids or reference
 */
export async function recordDedupeDecision(audit: AuditLog, input: DedupeDecisionInput): Promise<AuditEntry> {
  const bad = (message: string) => new SmartCitizenError('dedupe/invalid-decision', message, { pkg: 'core' });
  if (!dedupeDecisions.includes(input.decision))
    throw bad('decision must be same-person, different-people or needs-more-evidence');
  if (input.proposal !== 'face-cluster' && input.proposal !== 'card-conflict')
    throw bad('proposal must be face-cluster or card-conflict');
  const ids = [...new Set(input.ids)].sort();
  if (ids.length < 2 || ids.length > 50) throw bad('a decision covers 2 to 50 distinct accounts');
  if (!ids.every((id) => typeof id === 'string' && isIdNumberFormat(id))) throw bad('ids must be 12-digit ID numbers');
  if (input.reference !== undefined && !/^[\w.:/-]{1,100}$/.test(input.reference)) throw bad('bad reference');
  return audit.append({
    actor: input.actor,
    action: 'identity.dedupe-decision',
    subject: ids[0] as string,
    purpose: input.purpose ?? 'account-deduplication',
    details: {
      decision: input.decision,
      proposal: input.proposal,
      ids: ids.join(' '),
      count: ids.length,
      ...(input.reference === undefined ? {} : { reference: input.reference }),
    },
  });
}
