import type { Issue } from '../errors/index.js';
import { isSmartCitizenError, issue } from '../errors/index.js';
import type { CitizenIdentity } from '../identity/index.js';
import type { Clock, Logger } from '../ports/index.js';
import type { AuditLog } from '../privacy/AuditLog.js';
import type { ConsentScope } from '../privacy/consent.js';
import type { IdentityStore } from '../store/IdentityStore.js';
import { cosineSimilarity, decodeEmbedding } from '../store/validateRecord.js';
import { type Decision, IdentificationSession } from './IdentificationSession.js';
import type { DocumentEvidence } from './evidence.js';
import type { DocumentSource } from './evidenceSources.js';
import { evidenceSources } from './evidenceSources.js';
import type { AssurancePolicyInput } from './policy.js';

/** What a document reader returns: fields, its confidence and its own issues. */
export interface DocumentReading {
  fields: Partial<CitizenIdentity>;
  /** 0–1. */
  confidence: number;
  issues: Issue[];
  /** Chip only: passive authentication succeeded. */
  authenticated?: boolean;
}

/**
 * The raw evidence a client sends: payload text, images and templates — never scores. Every score
 * is recomputed on the server by {@link EvidenceVerifiers}. Fields not listed here are ignored.
 */
export interface RawEvidence {
  /** Text decoded from the card's QR code. */
  qrPayload?: string;
  /** The MRZ text (three TD1 lines). */
  mrzText?: string;
  /** Photo of the card for OCR. */
  cardImage?: Uint8Array;
  /** Raw chip data groups, by name (`DG1`, `DG2`, `DG13`, `SOD`). */
  chip?: Readonly<Record<string, Uint8Array>>;
  /** Live capture of the face (encoded image). */
  faceImage?: Uint8Array;
  /**
   * Image for the liveness check.
   * @default faceImage
   */
  livenessImage?: Uint8Array;
  /** The portrait from the card or chip (DG2), used when no face template is enrolled. */
  documentPortrait?: Uint8Array;
  /** Fingerprint probe (template or image, as the fingerprint verifier expects). */
  fingerprint?: Uint8Array;
  /** Consent given at the desk for this identification. */
  consent?: { scope: readonly ConsentScope[]; reference?: string };
}

/**
 * Server-side verifiers, injected so core has no heavy dependencies: wire `parseCardQr` from
 * `@smart-citizen/qr`, `FaceVerifier` from `@smart-citizen/face`, a fingerprint matcher… Each may
 * be absent; evidence without a verifier is ignored (and the level requirement stays unmet).
 */
export interface EvidenceVerifiers {
  /** Parse the QR payload text. */
  qr?: (payloadText: string) => DocumentReading | Promise<DocumentReading>;
  /** Parse the MRZ text. */
  mrz?: (text: string) => DocumentReading | Promise<DocumentReading>;
  /** OCR the card photo. */
  ocr?: (image: Uint8Array) => Promise<DocumentReading>;
  /** Read the chip data groups and run passive authentication. */
  chip?: (dataGroups: Readonly<Record<string, Uint8Array>>) => Promise<DocumentReading>;
  /** Face embedding model. */
  face?: {
    /** Embedding of the single face in an encoded image, or `undefined` when there is no usable face. */
    embed(image: Uint8Array): Promise<Float32Array | undefined>;
    /** Match threshold on {@link EvidenceVerifiers.face.similarity}. */
    threshold: number;
    /**
     * Similarity of two embeddings.
     * @default cosine similarity
     */
    similarity?: (a: Float32Array, b: Float32Array) => number;
  };
  /** Passive liveness. */
  liveness?: (image: Uint8Array) => Promise<{ live: boolean; score: number }>;
  /** Fingerprint matcher: score of a probe against one enrolled template. */
  fingerprint?: {
    match(probe: Uint8Array, enrolled: Uint8Array, enrolledFormat: string): Promise<number>;
    threshold: number;
  };
}

/** Options of {@link decideFromRawEvidence}. */
export interface DecideFromRawEvidenceOptions {
  /** Decision policy. */
  policy?: AssurancePolicyInput;
  audit?: AuditLog;
  /** Operator or kiosk id recorded in the audit log. */
  actor?: string;
  clock?: Clock;
  logger?: Logger;
}

/** A decision and the evidence the server computed for it. */
export interface RawDecision extends Decision {
  /** Sources that were evaluated, and issues from readers that failed. */
  evaluated: string[];
}

async function readDocument(
  source: DocumentSource,
  run: () => DocumentReading | Promise<DocumentReading>,
  out: DocumentEvidence[],
  problems: Issue[],
): Promise<void> {
  try {
    const r = await run();
    out.push({
      kind: 'document',
      source,
      fields: r.fields,
      confidence: Math.max(0, Math.min(1, Number.isFinite(r.confidence) ? r.confidence : 0)),
      issues: r.issues,
      ...(r.authenticated !== undefined ? { authenticated: r.authenticated } : {}),
    });
  } catch (err) {
    // An unreadable input is a finding about the evidence, not a crash of the decision.
    problems.push(
      issue(
        `evidence/${source}-unreadable`,
        'warning',
        `the ${source} evidence could not be read (${isSmartCitizenError(err) ? err.code : 'error'})`,
        source,
      ),
    );
  }
}

/**
 * The server-side decision: recompute every piece of evidence from the raw inputs with the
 * injected verifiers (documents, then the store lookup, then — only under consent — the
 * biometrics against the enrolled templates), then decide with an {@link IdentificationSession}.
 * Client-reported scores are never read.
 * @param raw - payload text, images, templates from the client
 * @param verifiers - server-side readers and matchers
 * @param store - the identity store
 * @param options - policy, audit log, actor, clock, logger
 * @returns the decision, with every reason as a code
 */
export async function decideFromRawEvidence(
  raw: RawEvidence,
  verifiers: EvidenceVerifiers,
  store: IdentityStore,
  options: DecideFromRawEvidenceOptions = {},
): Promise<RawDecision> {
  const session = new IdentificationSession({
    store,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const purpose = session.policy.purpose;
  const docs: DocumentEvidence[] = [];
  const problems: Issue[] = [];
  const evaluated: string[] = [];
  // Documents, in the order of the evidence-source table; each row names its raw input and verifier.
  for (const row of evidenceSources) {
    if (row.kind !== 'document' || !('raw' in row)) continue;
    const input = raw[row.raw];
    const read = verifiers[row.verifier] as
      | ((input: unknown) => DocumentReading | Promise<DocumentReading>)
      | undefined;
    if (input === undefined || !read) continue;
    await readDocument(row.id, () => read(input), docs, problems);
    evaluated.push(row.id);
  }
  for (const d of docs) session.addEvidence(d);
  // A consent with no scope consents to nothing (and the store would refuse to record it).
  if (raw.consent && raw.consent.scope.length > 0) {
    session.grantConsent({
      scope: raw.consent.scope,
      ...(raw.consent.reference ? { reference: raw.consent.reference } : {}),
    });
  }

  const face = verifiers.face;
  let probe: Float32Array | undefined;
  const embedProbe = async () => {
    if (probe === undefined && raw.faceImage && face) {
      probe = await face.embed(raw.faceImage);
      if (!probe) problems.push(issue('face/no-face', 'warning', 'no usable face in the live capture', 'face-match'));
    }
    return probe;
  };
  // 1:N search only runs when nothing else names the citizen and the person consented to it here.
  const cc = session.crossCheck();
  const searchAllowed =
    session.policy.faceSearch.enabled &&
    !cc.identity.idNumber &&
    !cc.identity.oldIdNumber &&
    session.hasSessionConsent('face-search');
  const resolution = await session.resolve(
    searchAllowed && (await embedProbe()) ? { faceProbe: probe as Float32Array } : {},
  );
  if (searchAllowed) evaluated.push('face-search');

  if (resolution.status === 'found') {
    const idNumber = resolution.record.identity.idNumber;
    const audit = async (kind: string, count: number) =>
      options.audit?.append({
        actor: options.actor ?? 'identification-session',
        action: 'template.read',
        subject: idNumber,
        purpose,
        details: { kind, count },
      });
    // Consent is checked before any biometric processing: without it the images are not touched.
    if (raw.faceImage && face && (await session.consentFor('face'))) {
      const sim = face.similarity ?? cosineSimilarity;
      const p = await embedProbe();
      if (p) {
        const templates = await store.getTemplates(idNumber, 'face');
        await audit('face', templates.length);
        let best: number | undefined;
        let against: 'store-template' | 'document-portrait' = 'store-template';
        for (const t of templates) {
          const ref = decodeEmbedding(t.data);
          if (ref.length !== p.length) continue;
          const score = sim(p, ref);
          best = best === undefined ? score : Math.max(best, score);
        }
        if (best === undefined && raw.documentPortrait) {
          const ref = await face.embed(raw.documentPortrait);
          if (ref && ref.length === p.length) {
            best = sim(p, ref);
            against = 'document-portrait';
          }
        }
        if (best !== undefined) {
          session.addEvidence({
            kind: 'face-match',
            source: 'face',
            score: best,
            threshold: face.threshold,
            against,
            confidence: 1,
            issues: [],
          });
        } else {
          problems.push(
            issue('face/no-reference', 'warning', 'no enrolled face or portrait to compare with', 'face-match'),
          );
        }
      }
      evaluated.push('face');
    }
    const liveImage = raw.livenessImage ?? raw.faceImage;
    if (liveImage && verifiers.liveness && (await session.consentFor('face'))) {
      try {
        const l = await verifiers.liveness(liveImage);
        session.addEvidence({
          kind: 'liveness',
          source: 'liveness',
          live: l.live,
          score: l.score,
          confidence: 1,
          issues: [],
        });
      } catch (err) {
        problems.push(
          issue(
            'evidence/liveness-unreadable',
            'warning',
            `liveness could not be run (${isSmartCitizenError(err) ? err.code : 'error'})`,
          ),
        );
      }
      evaluated.push('liveness');
    }
    if (raw.fingerprint && verifiers.fingerprint && (await session.consentFor('fingerprint'))) {
      const fp = verifiers.fingerprint;
      const templates = await store.getTemplates(idNumber, 'fingerprint');
      await audit('fingerprint', templates.length);
      let best: number | undefined;
      for (const t of templates) {
        const score = await fp.match(raw.fingerprint, t.data, t.format);
        best = best === undefined ? score : Math.max(best, score);
      }
      if (best !== undefined) {
        session.addEvidence({
          kind: 'fingerprint-match',
          source: 'fingerprint',
          score: best,
          threshold: fp.threshold,
          confidence: 1,
          issues: [],
        });
      } else {
        problems.push(
          issue('fingerprint/no-reference', 'warning', 'no enrolled fingerprint to compare with', 'fingerprint-match'),
        );
      }
      evaluated.push('fingerprint');
    }
    // Biometric input compared with enrolled templates, sent without consent: not processed.
    for (const row of evidenceSources) {
      if (!('template' in row) || raw[row.raw] === undefined || (await session.consentFor(row.consent))) continue;
      problems.push(
        issue('consent/missing', 'warning', `no consent for ${row.consent} processing: not processed`, row.consent),
      );
    }
  }
  // Reader problems enter the session before it decides, so the audit entry is the decision returned.
  for (const p of problems) session.addIssue(p);
  const decision = await session.decide();
  return { ...decision, evaluated };
}
