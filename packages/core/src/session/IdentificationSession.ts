import type { Issue } from '../errors/index.js';
import { SmartCitizenError, issue } from '../errors/index.js';
import type { CitizenIdentity } from '../identity/index.js';
import type { Clock, Logger } from '../ports/index.js';
import { silentLogger, systemClock } from '../ports/index.js';
import type { AuditDetailValue, AuditEntry, AuditLog } from '../privacy/AuditLog.js';
import type { ConsentRecord, ConsentScope } from '../privacy/consent.js';
import { findActiveConsent } from '../privacy/consent.js';
import type { CitizenRecord, IdentityStore } from '../store/IdentityStore.js';
import { toPartialDate } from '../rules/index.js';
import { type CrossCheckResult, compareWithRecord, crossCheckDocuments } from './crossCheck.js';
import type { DocumentEvidence, Evidence } from './evidence.js';
import { checkEvidence } from './evidence.js';
import { evidenceSource } from './evidenceSources.js';
import type { AssuranceLevel, AssurancePolicy, AssurancePolicyInput, Requirement } from './policy.js';
import { resolvePolicy } from './policy.js';

/** How (and whether) the citizen was found in the store. */
export type Resolution =
  | { status: 'found'; by: 'id-number' | 'old-id-number' | 'face-search'; record: CitizenRecord; similarity?: number }
  | { status: 'not-found' }
  | { status: 'ambiguous'; by: 'old-id-number' | 'face-search'; candidates: number }
  | { status: 'not-attempted' };

/** The outcome of an identification. */
export type DecisionOutcome = 'verified' | 'needs_review' | 'rejected';

/** A decision with every reason as a code. */
export interface Decision {
  outcome: DecisionOutcome;
  /** Level the policy asked for. */
  requestedLevel: AssuranceLevel;
  /** Highest level whose requirements were all met (0 = none, or rejected). */
  achievedLevel: 0 | AssuranceLevel;
  /** Why the outcome is not `verified`, or what a reviewer should know; each has a `code`. */
  reasons: Issue[];
  /** Every issue found (evidence, cross-checks, record comparison). */
  issues: Issue[];
  /** Requirements that were met. */
  met: Requirement[];
  /** The resolved citizen's ID number. */
  idNumber?: string;
  resolution: Resolution;
  /** Identity merged from the documents. */
  identity: Partial<CitizenIdentity>;
  /** When (ms since epoch). */
  decidedAt: number;
}

/** Options of {@link IdentificationSession}. */
export interface IdentificationSessionOptions {
  /** Where citizens, templates and consents are. */
  store: IdentityStore;
  /** Decision policy (merged over the defaults). */
  policy?: AssurancePolicyInput;
  /** Audit log receiving every lookup and decision. */
  audit?: AuditLog;
  /**
   * Who runs the session (operator, kiosk), recorded in the audit log.
   * @default 'identification-session'
   */
  actor?: string;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Logger: receives outcome, levels, reason codes and timings only.
   * @default silentLogger
   */
  logger?: Logger;
}

/** A consent captured during the session (the citizen at the desk). */
export interface SessionConsent {
  scope: readonly ConsentScope[];
  /** Opaque reference to the signed form or kiosk screen. */
  reference?: string;
}

/** Longest audit detail value (the audit log's limit). */
const AUDIT_VALUE_MAX = 500;

/**
 * The audit details of a decision: outcome, requested and achieved level, and every distinct
 * reason code in order. Codes that do not fit one detail value continue in `reasons-2`, `reasons-3`…
 * Read them back with {@link readDecisionAudit}.
 * @internal
 */
export function decisionAuditDetails(decision: Decision): Record<string, AuditDetailValue> {
  const details: Record<string, AuditDetailValue> = {
    outcome: decision.outcome,
    requestedLevel: decision.requestedLevel,
    achievedLevel: decision.achievedLevel,
  };
  const chunks: string[] = [''];
  for (const code of new Set(decision.reasons.map((r) => r.code))) {
    const last = chunks[chunks.length - 1] as string;
    const joined = last === '' ? code : `${last},${code}`;
    if (joined.length <= AUDIT_VALUE_MAX || last === '') chunks[chunks.length - 1] = joined.slice(0, AUDIT_VALUE_MAX);
    else chunks.push(code.slice(0, AUDIT_VALUE_MAX));
  }
  chunks.forEach((chunk, i) => {
    details[i === 0 ? 'reasons' : `reasons-${i + 1}`] = chunk;
  });
  return details;
}

/** A `session.decide` audit entry read back: what the caller was given. */
export interface AuditedDecision {
  outcome: DecisionOutcome;
  requestedLevel: AssuranceLevel;
  achievedLevel: 0 | AssuranceLevel;
  /** Distinct reason codes, in the decision's order. */
  reasons: string[];
  /** The citizen the decision is about, when one was resolved. */
  idNumber?: string;
}

/**
 * Read the decision recorded by a `session.decide` audit entry.
 * @param entry - an entry whose action is `session.decide`
 * @returns outcome, levels and reason codes as they were returned to the caller
 * @throws TypeError for an entry that is not a decision
 */
export function readDecisionAudit(entry: AuditEntry): AuditedDecision {
  if (entry.action !== 'session.decide') throw new TypeError('[@smart-citizen/core] not a session.decide audit entry');
  const d = entry.details;
  const reasons: string[] = [];
  for (let i = 1; typeof d[i === 1 ? 'reasons' : `reasons-${i}`] === 'string'; i++) {
    const chunk = d[i === 1 ? 'reasons' : `reasons-${i}`] as string;
    if (chunk !== '') reasons.push(...chunk.split(','));
  }
  return {
    outcome: d.outcome as DecisionOutcome,
    requestedLevel: d.requestedLevel as AssuranceLevel,
    achievedLevel: d.achievedLevel as 0 | AssuranceLevel,
    reasons,
    ...(entry.subject !== null ? { idNumber: entry.subject } : {}),
  };
}

/** The consent scope a piece of biometric evidence needs, from its row in {@link evidenceSources}. */
function consentScopeOf(e: Exclude<Evidence, DocumentEvidence>): ConsentScope {
  const scope = evidenceSource(e.source)?.consent;
  if (scope === undefined)
    throw new SmartCitizenError('session/invalid-evidence', 'biometric source without a consent scope');
  return scope;
}

/**
 * Gathers evidence about the person at the desk, cross-checks it, resolves the citizen in the
 * identity store and decides `verified` / `needs_review` / `rejected` at the policy's assurance
 * level. Biometric evidence counts only under a consent in force (captured in the session with
 * {@link IdentificationSession.grantConsent} or stored). Server code should feed it evidence it
 * computed itself — see {@link decideFromRawEvidence}.
 * @example
 * const session = new IdentificationSession({ store, policy: { level: 2 } });
 * session.addEvidence(qrEvidence);
 * session.grantConsent({ scope: ['face'] });
 * session.addEvidence(faceMatch); session.addEvidence(liveness);
 * const decision = await session.decide();
 */
export class IdentificationSession {
  readonly policy: AssurancePolicy;
  private readonly store: IdentityStore;
  private readonly audit: AuditLog | undefined;
  private readonly actor: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly items: Evidence[] = [];
  private readonly consents: SessionConsent[] = [];
  private readonly problems: Issue[] = [];
  private resolution: Resolution = { status: 'not-attempted' };
  private consentsStored = false;

  constructor(options: IdentificationSessionOptions) {
    this.store = options.store;
    this.policy = resolvePolicy(options.policy);
    this.audit = options.audit;
    this.actor = options.actor ?? 'identification-session';
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** Evidence gathered so far. */
  get evidence(): readonly Evidence[] {
    return this.items;
  }

  /**
   * Add evidence.
   * @throws SmartCitizenError `session/invalid-evidence` for malformed evidence
   */
  addEvidence(evidence: Evidence): void {
    checkEvidence(evidence);
    this.items.push(evidence);
  }

  /**
   * Record a problem met while gathering evidence (an unreadable QR, no usable face in the
   * capture…). {@link IdentificationSession.decide} weighs it like any other finding: it is listed
   * in the decision's issues and reasons, and anything above `info` sends the decision to review.
   * Add reader problems before deciding, so the audit entry records the decision as returned.
   * @throws SmartCitizenError `session/invalid-evidence` for an issue without a code or severity
   */
  addIssue(problem: Issue): void {
    if (
      typeof problem !== 'object' ||
      problem === null ||
      typeof problem.code !== 'string' ||
      !['error', 'warning', 'info'].includes(problem.severity)
    ) {
      throw new SmartCitizenError('session/invalid-evidence', 'an issue needs a code and a severity');
    }
    this.problems.push({ ...problem });
  }

  /** Record a consent given now by the person at the desk (stored once the citizen is resolved). */
  grantConsent(consent: SessionConsent): void {
    this.consents.push({ scope: [...consent.scope], ...(consent.reference ? { reference: consent.reference } : {}) });
  }

  /** True when a consent given in this session covers `scope`. */
  hasSessionConsent(scope: ConsentScope): boolean {
    return this.consents.some((c) => c.scope.includes(scope));
  }

  private usableDocuments(): { used: DocumentEvidence[]; dropped: DocumentEvidence[] } {
    const docs = this.items.filter((e): e is DocumentEvidence => e.kind === 'document');
    return {
      used: docs.filter((d) => d.confidence >= this.policy.minDocumentConfidence),
      dropped: docs.filter((d) => d.confidence < this.policy.minDocumentConfidence),
    };
  }

  /** Cross-check the document evidence (normalised text, dates, numbers). */
  crossCheck(): CrossCheckResult {
    const { used } = this.usableDocuments();
    // A disagreement that involves OCR or typed input is more likely a reading error than fraud:
    // a person should look, so it is a warning (decided from the sources' rows, not the message).
    return crossCheckDocuments(used, {
      today: toPartialDate(new Date(this.clock.now())),
      nearMatchSimilarity: this.policy.nearMatchSimilarity,
      softenUnlessMachineRead: true,
    });
  }

  /**
   * Find the citizen: by the 12-digit number the documents agree on, else by the old CMND number,
   * else (when the policy allows and a probe is given) by 1:N face search.
   * @param options - `faceProbe`: embedding of the live capture for 1:N search
   */
  async resolve(options: { faceProbe?: Float32Array } = {}): Promise<Resolution> {
    const { identity } = this.crossCheck();
    let res: Resolution = { status: 'not-found' };
    if (identity.idNumber) {
      const rec = await this.store.get(identity.idNumber.replace(/\s+/g, ''));
      if (rec) res = { status: 'found', by: 'id-number', record: rec };
    }
    if (res.status !== 'found' && identity.oldIdNumber) {
      const recs = await this.store.findByOldIdNumber(identity.oldIdNumber.replace(/\s+/g, ''));
      if (recs.length === 1) res = { status: 'found', by: 'old-id-number', record: recs[0] as CitizenRecord };
      else if (recs.length > 1) res = { status: 'ambiguous', by: 'old-id-number', candidates: recs.length };
    }
    const fs = this.policy.faceSearch;
    if (res.status === 'not-found' && !identity.idNumber && !identity.oldIdNumber && fs.enabled && options.faceProbe) {
      if (!this.hasSessionConsent('face-search')) {
        res = { status: 'not-found' };
      } else if (this.store.searchFaces) {
        const hits = await this.store.searchFaces(options.faceProbe, { k: 5, minSimilarity: fs.minSimilarity });
        const distinct = [...new Map(hits.map((h) => [h.idNumber, h])).values()];
        const top = distinct[0];
        const second = distinct[1];
        if (top && (!second || top.similarity - second.similarity >= fs.minMargin)) {
          const rec = await this.store.get(top.idNumber);
          if (rec) res = { status: 'found', by: 'face-search', record: rec, similarity: top.similarity };
        } else if (top) {
          res = { status: 'ambiguous', by: 'face-search', candidates: distinct.length };
        }
      }
    }
    this.resolution = res;
    if (res.status === 'found') {
      await this.audit?.append({
        actor: this.actor,
        action: 'identity.read',
        subject: res.record.identity.idNumber,
        purpose: this.policy.purpose,
        details: { by: res.by },
      });
    }
    return res;
  }

  /** Consents in force for `scope`: from this session, or stored for the resolved citizen. */
  async consentFor(scope: ConsentScope): Promise<boolean> {
    if (this.hasSessionConsent(scope)) return true;
    if (this.resolution.status !== 'found') return false;
    const stored: ConsentRecord[] = await this.store.listConsents(this.resolution.record.identity.idNumber);
    return findActiveConsent(stored, scope, this.policy.purpose, this.clock.now()) !== undefined;
  }

  /**
   * Decide. Resolves the citizen first when {@link IdentificationSession.resolve} was not called,
   * stores consents given in the session, and appends the decision to the audit log.
   * @returns the decision with its reason codes
   */
  async decide(): Promise<Decision> {
    const t0 = this.clock.now();
    if (this.resolution.status === 'not-attempted') await this.resolve();
    const p = this.policy;
    const cc = this.crossCheck();
    const { used, dropped } = this.usableDocuments();
    const issues: Issue[] = [...cc.issues];
    const reasons: Issue[] = [];
    let reject = false;
    let review = false;
    for (const d of this.items) for (const i of d.issues) issues.push(i);
    for (const d of dropped) {
      reasons.push(
        issue('document/low-confidence', 'warning', `${d.source} reading below the confidence floor`, d.source),
      );
    }
    for (const i of cc.issues) {
      if (i.severity === 'info') continue;
      const fatal = i.severity === 'error' && (i.code !== 'document/expired' || p.rejectExpiredDocument);
      reasons.push(i);
      if (fatal) reject = true;
      else review = true;
    }
    // Reader problems (a QR that failed its own checks, an unreadable OCR field) need a look.
    for (const d of used) {
      if (d.issues.some((i) => i.severity !== 'info')) {
        review = true;
        for (const i of d.issues) if (i.severity !== 'info') reasons.push(i);
      }
    }

    const met = new Set<Requirement>();
    if (used.length > 0) met.add('document');
    const res = this.resolution;
    if (res.status === 'found') {
      met.add('in-store');
      for (const i of compareWithRecord(cc.identity, res.record.identity, p.nearMatchSimilarity)) {
        issues.push(i);
        reasons.push(i);
        if (i.severity === 'error') reject = true;
        else review = true;
      }
      if (this.consents.length > 0 && !this.consentsStored) {
        this.consentsStored = true;
        for (const c of this.consents) {
          await this.store.recordConsent({
            idNumber: res.record.identity.idNumber,
            purpose: p.purpose,
            scope: c.scope,
            grantedAt: t0,
            ...(c.reference ? { reference: c.reference } : {}),
          });
        }
      }
    } else if (res.status === 'ambiguous') {
      reasons.push(issue('store/ambiguous', 'warning', `more than one citizen matches (${res.by})`));
      review = true;
    } else if (used.length > 0) {
      reasons.push(issue('store/not-found', p.onNotFound === 'rejected' ? 'error' : 'warning', 'no citizen found'));
      if (p.onNotFound === 'rejected') reject = true;
      else review = true;
    }

    for (const e of this.items) {
      if (e.kind === 'document') {
        // A source that can be authenticated (the chip) must be, or a reviewer should know.
        const canAuthenticate = (evidenceSource(e.source)?.meets as readonly Requirement[] | undefined)?.includes(
          'chip-authenticated',
        );
        if (canAuthenticate && e.confidence >= p.minDocumentConfidence) {
          if (e.authenticated) met.add('chip-authenticated');
          else
            reasons.push(
              issue('chip/not-authenticated', 'warning', 'the chip failed or skipped passive authentication'),
            );
        }
        continue;
      }
      const req: Requirement = e.kind;
      const scope = consentScopeOf(e);
      if (!(await this.consentFor(scope))) {
        const needed = p.levels[p.level].some((g) => g.includes(req));
        reasons.push(issue('consent/missing', needed ? 'warning' : 'info', `no consent for ${scope} processing`, req));
        if (needed) review = true;
        continue;
      }
      if (e.kind === 'liveness') {
        if (e.live) met.add('liveness');
        else {
          reasons.push(issue('liveness/failed', 'error', 'the live capture failed the liveness check', 'liveness'));
          reject = true;
        }
      } else if (e.score >= e.threshold) {
        met.add(req);
      } else {
        const matched = e.source;
        reasons.push(issue(`${matched}/no-match`, 'error', `${e.kind} score below the threshold`, req));
        reject = true;
      }
    }

    const levelMet = (level: AssuranceLevel) => p.levels[level].every((group) => group.some((r) => met.has(r)));
    let achieved: 0 | AssuranceLevel = 0;
    for (const level of [1, 2, 3] as const) {
      if (levelMet(level)) achieved = level;
      else break;
    }
    if (reject) achieved = 0;
    const missing = p.levels[p.level].filter((group) => !group.some((r) => met.has(r)));
    for (const group of missing) {
      const name = group.join('-or-');
      if (
        reasons.some((r) => r.path !== undefined && group.includes(r.path as Requirement) && r.severity === 'error')
      ) {
        continue;
      }
      reasons.push(
        issue(`requirement/${name}-missing`, 'warning', `level ${p.level} needs ${group.join(' or ')}`, name),
      );
    }
    // Problems met while gathering evidence: weighed here, before the audit entry is written.
    const seen = new Set(reasons.map((r) => `${r.code}|${r.path ?? ''}`));
    for (const problem of this.problems) {
      issues.push(problem);
      const key = `${problem.code}|${problem.path ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        reasons.push(problem);
      }
      if (problem.severity !== 'info') review = true;
    }
    const outcome: DecisionOutcome = reject
      ? 'rejected'
      : missing.length === 0 && !review && achieved >= p.level
        ? 'verified'
        : 'needs_review';
    const decidedAt = this.clock.now();
    const decision: Decision = {
      outcome,
      requestedLevel: p.level,
      achievedLevel: achieved,
      reasons,
      issues,
      met: [...met],
      ...(res.status === 'found' ? { idNumber: res.record.identity.idNumber } : {}),
      resolution: res,
      identity: cc.identity,
      decidedAt,
    };
    const codes = [...new Set(reasons.map((r) => r.code))].join(',');
    if (this.audit) {
      // Fail closed: a decision that could not be audited is not returned at all.
      try {
        await this.audit.append({
          actor: this.actor,
          action: 'session.decide',
          ...(decision.idNumber ? { subject: decision.idNumber } : {}),
          purpose: p.purpose,
          details: decisionAuditDetails(decision),
        });
      } catch (err) {
        throw new SmartCitizenError('session/audit-failed', 'the decision could not be written to the audit log', {
          cause: err,
        });
      }
    }
    this.logger.info('identification decided', {
      outcome,
      requestedLevel: p.level,
      achievedLevel: achieved,
      reasons: codes,
      evidence: this.items.map((e) => e.source).join(','),
      durationMs: decidedAt - t0,
    });
    return decision;
  }
}
