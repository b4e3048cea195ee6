import type { Issue } from '../errors/index.js';
import { isSmartCitizenError, issue } from '../errors/index.js';
import type { CitizenIdentity } from '../identity/index.js';
import type { Clock, Logger } from '../ports/index.js';
import type { AuditLog } from '../privacy/AuditLog.js';
import type { ConsentScope } from '../privacy/consent.js';
import type { BiometricTemplate, IdentityStore } from '../store/IdentityStore.js';
import type { TemplateKind } from '../store/templateModalities.js';
import { cosineSimilarity, decodeEmbedding } from '../store/validateRecord.js';
import { type Decision, IdentificationSession } from './IdentificationSession.js';
import type { DocumentEvidence, Evidence, FaceMatchEvidence } from './evidence.js';
import type { DocumentSource } from './evidenceSources.js';
import { evidenceSources } from './evidenceSources.js';
import type { AssurancePolicyInput, Requirement } from './policy.js';

/** What a document reader returns: fields, its confidence and its own issues. */
export interface DocumentReading {
  fields: Partial<CitizenIdentity>;
  /** 0–1. */
  confidence: number;
  issues: Issue[];
  /** Chip only: passive authentication succeeded. */
  authenticated?: boolean;
  /**
   * The encoded portrait the document carries (the chip's DG2 image). Used as the face reference
   * when no template is enrolled and no `documentPortrait` was sent, only from an authenticated
   * reading. Never logged or stored.
   */
  portrait?: Uint8Array;
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
  face?: EmbeddingVerifier;
  /** Passive liveness. */
  liveness?: CaptureCheck;
  /** Fingerprint matcher: score of a probe against one enrolled template. */
  fingerprint?: TemplateMatcher;
}

/** An embedding model (method `embedding`): the capture's embedding is compared with enrolled ones. */
export interface EmbeddingVerifier {
  /** Embedding of the single face in an encoded image, or `undefined` when there is no usable face. */
  embed(image: Uint8Array): Promise<Float32Array | undefined>;
  /** Match threshold on {@link EmbeddingVerifier.similarity}. */
  threshold: number;
  /**
   * Similarity of two embeddings.
   * @default cosine similarity
   */
  similarity?: (a: Float32Array, b: Float32Array) => number;
}

/** A template matcher (method `match`): the probe is scored against each enrolled template. */
export interface TemplateMatcher {
  match(probe: Uint8Array, enrolled: Uint8Array, enrolledFormat: string): Promise<number>;
  threshold: number;
}

/** A check of the capture alone (method `check`), such as passive liveness. */
export type CaptureCheck = (image: Uint8Array) => Promise<{ live: boolean; score: number }>;

/**
 * How `decideFromRawEvidence` runs a biometric source, named by its row in `evidenceSources`; the
 * row's verifier has the shape of {@link BiometricVerifierOf}[method].
 */
export type BiometricMethod = 'embedding' | 'match' | 'check';

/** The verifier shape of each {@link BiometricMethod}. */
export interface BiometricVerifierOf {
  embedding: EmbeddingVerifier;
  match: TemplateMatcher;
  check: CaptureCheck;
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
  portraits: Uint8Array[],
): Promise<void> {
  try {
    const r = await run();
    if (r.portrait instanceof Uint8Array && r.authenticated === true) portraits.push(r.portrait);
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

/** The raw inputs that are bytes (captures, templates, portraits). */
type BytesInput = {
  [K in keyof RawEvidence]-?: RawEvidence[K] extends Uint8Array | undefined ? K : never;
}[keyof RawEvidence];

/** A biometric row of {@link evidenceSources}, seen through the fields every biometric row has. */
interface BiometricRow {
  id: string;
  /** Its first requirement is the kind of evidence it yields. */
  meets: readonly [Requirement, ...Requirement[]];
  consent: ConsentScope;
  raw: BytesInput;
  rawFallback?: BytesInput;
  verifier: Extract<(typeof evidenceSources)[number], { kind: 'biometric' }>['verifier'];
  method: BiometricMethod;
  template?: TemplateKind;
  reference?: BytesInput;
}

/** The biometric rows, in table order (the type checks that each row has what the loop reads). */
const biometricRows: readonly BiometricRow[] = evidenceSources.filter(
  (s): s is Extract<(typeof evidenceSources)[number], { kind: 'biometric' }> => s.kind === 'biometric',
);

/** What a biometric method gets: the row, its verifier, the input, and the enrolled templates on demand. */
interface BiometricRun<M extends BiometricMethod> {
  row: BiometricRow;
  verifier: BiometricVerifierOf[M];
  input: Uint8Array;
  raw: RawEvidence;
  /** The citizen's templates of the row's kind, read and audited (`template.read`) when called. */
  templates: () => Promise<BiometricTemplate[]>;
  /** The capture's embedding, computed once per source (a `<source>/no-face` issue when there is none). */
  embed: (row: BiometricRow, v: EmbeddingVerifier, image: Uint8Array) => Promise<Float32Array | undefined>;
}

/** The best score over comparisons (`undefined` when nothing could be compared). */
function best(scores: Iterable<number | undefined>): number | undefined {
  let top: number | undefined;
  for (const s of scores) if (s !== undefined) top = top === undefined ? s : Math.max(top, s);
  return top;
}

function noReference(row: BiometricRow): Issue {
  const enrolled = row.id;
  const what = `${row.template}${row.reference ? ' or portrait' : ''}`;
  return issue(`${enrolled}/no-reference`, 'warning', `no enrolled ${what} to compare with`, row.meets[0]);
}

/**
 * How each {@link BiometricMethod} turns a row's input into evidence or a problem. A new biometric
 * source whose verifier has one of these shapes needs only its row (and its verifier slice).
 */
const biometricMethods: { [M in BiometricMethod]: (run: BiometricRun<M>) => Promise<Evidence | Issue | undefined> } = {
  embedding: async ({ row, verifier: v, input, raw, templates, embed }) => {
    const probe = await embed(row, v, input);
    if (!probe) return undefined;
    const sim = v.similarity ?? cosineSimilarity;
    const comparable = (ref: Float32Array | undefined): ref is Float32Array => ref?.length === probe.length;
    let score = best(
      (await templates())
        .map((t) => decodeEmbedding(t.data))
        .map((ref) => (comparable(ref) ? sim(probe, ref) : undefined)),
    );
    let against: FaceMatchEvidence['against'] = 'store-template';
    const portrait = row.reference ? raw[row.reference] : undefined;
    if (score === undefined && portrait) {
      const ref = await v.embed(portrait);
      if (comparable(ref)) {
        score = sim(probe, ref);
        against = 'document-portrait';
      }
    }
    if (score === undefined) return noReference(row);
    const evidence = { kind: row.meets[0], source: row.id, score, threshold: v.threshold, against };
    return { ...evidence, confidence: 1, issues: [] } as Evidence;
  },
  match: async ({ row, verifier: v, input, templates }) => {
    const scores: number[] = [];
    for (const t of await templates()) scores.push(await v.match(input, t.data, t.format));
    const score = best(scores);
    if (score === undefined) return noReference(row);
    return { kind: row.meets[0], source: row.id, score, threshold: v.threshold, confidence: 1, issues: [] } as Evidence;
  },
  check: async ({ row, verifier, input }) => {
    try {
      const { live, score } = await verifier(input);
      return { kind: row.meets[0], source: row.id, live, score, confidence: 1, issues: [] } as Evidence;
    } catch (err) {
      const checked = row.id;
      const code = isSmartCitizenError(err) ? err.code : 'error';
      return issue(`evidence/${checked}-unreadable`, 'warning', `${checked} could not be run (${code})`);
    }
  },
};

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
  const portraits: Uint8Array[] = [];
  // Documents, in the order of the evidence-source table; each row names its raw input and verifier.
  for (const row of evidenceSources) {
    if (row.kind !== 'document' || !('raw' in row)) continue;
    const input = raw[row.raw];
    const read = verifiers[row.verifier] as
      | ((input: unknown) => DocumentReading | Promise<DocumentReading>)
      | undefined;
    if (input === undefined || !read) continue;
    await readDocument(row.id, () => read(input), docs, problems, portraits);
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

  // Embeddings of the captures, once per source (the face probe serves the 1:N search and the 1:1 match).
  const embeddings = new Map<string, Promise<Float32Array | undefined>>();
  const embedOnce = (row: BiometricRow, v: EmbeddingVerifier, image: Uint8Array) => {
    let probe = embeddings.get(row.id);
    if (!probe) {
      probe = v.embed(image).then((p) => {
        const embedded = row.id;
        const req = row.meets[0];
        if (!p)
          problems.push(issue(`${embedded}/no-face`, 'warning', `no usable ${embedded} in the live capture`, req));
        return p;
      });
      embeddings.set(row.id, probe);
    }
    return probe;
  };
  // 1:N search only runs when nothing else names the citizen and the person consented to it here.
  const faceRow = biometricRows.find((r) => r.id === 'face') as BiometricRow;
  const cc = session.crossCheck();
  const searchAllowed =
    session.policy.faceSearch.enabled &&
    !cc.identity.idNumber &&
    !cc.identity.oldIdNumber &&
    session.hasSessionConsent('face-search');
  const searchProbe =
    searchAllowed && raw.faceImage && verifiers.face
      ? await embedOnce(faceRow, verifiers.face, raw.faceImage)
      : undefined;
  const resolution = await session.resolve(searchProbe ? { faceProbe: searchProbe } : {});
  if (searchAllowed) evaluated.push('face-search');

  if (resolution.status === 'found') {
    const idNumber = resolution.record.identity.idNumber;
    // An authenticated chip's portrait stands in for a portrait the client did not send.
    const withPortrait: RawEvidence =
      raw.documentPortrait === undefined && portraits[0] ? { ...raw, documentPortrait: portraits[0] } : raw;
    // Each biometric row, in table order: consent is checked before any processing, so without it
    // the input is not touched; the row's method says how its verifier is run.
    for (const row of biometricRows) {
      const input = raw[row.raw] ?? (row.rawFallback ? raw[row.rawFallback] : undefined);
      const verifier = verifiers[row.verifier];
      if (!input || !verifier || !(await session.consentFor(row.consent))) continue;
      const templates = async () => {
        const kind = row.template as TemplateKind;
        const found = await store.getTemplates(idNumber, kind);
        await options.audit?.append({
          actor: options.actor ?? 'identification-session',
          action: 'template.read',
          subject: idNumber,
          purpose,
          details: { kind, count: found.length },
        });
        return found;
      };
      const run = biometricMethods[row.method] as (
        r: BiometricRun<BiometricMethod>,
      ) => Promise<Evidence | Issue | undefined>;
      const result = await run({ row, verifier, input, raw: withPortrait, templates, embed: embedOnce });
      if (result && 'code' in result) problems.push(result);
      else if (result) session.addEvidence(result);
      evaluated.push(row.id);
    }
    // Biometric input compared with enrolled templates, sent without consent: not processed.
    for (const row of biometricRows) {
      if (!row.template || raw[row.raw] === undefined || (await session.consentFor(row.consent))) continue;
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
