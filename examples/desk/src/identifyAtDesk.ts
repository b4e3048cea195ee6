// A reception desk (Bộ phận Một cửa) server flow, end to end:
//   card photo ──readCardQr──► QR text ─┐
//   live face photo ────────────────────┼─► decideFromRawEvidence (server, SQLite store + audit)
//                                       └─► verified? ─► queue ticket (group from the date of birth)
//                                                      └► form ct01 pre-filled from the stored record
// The browser or kiosk only captures; every score that counts is recomputed here from raw bytes.
import { combineEvidenceVerifiers, decideFromRawEvidence } from '@smart-citizen/core';
import {
  agingPolicy,
  attributesFromIdentity,
  createInMemoryQueueBackend,
  createSmartQueue,
  vietnamPriorityPolicy,
} from '@smart-citizen/queue';
import type {
  AuditLog,
  Clock,
  ConsentScope,
  EvidenceVerifiers,
  IdentityStore,
  Issue,
  RawDecision,
  RawEvidence,
} from '@smart-citizen/core';
import type { CitizenAttributes, QueueBackend, SmartQueue, Ticket } from '@smart-citizen/queue';
import { faceEvidenceVerifiers } from '@smart-citizen/face';
import type { FaceVerifier } from '@smart-citizen/face';
import { fillForm } from '@smart-citizen/forms';
import type { FillResult, FormAnswers } from '@smart-citizen/forms';
import { qrEvidenceVerifiers, readCardQr } from '@smart-citizen/qr';

/** The queue service of residence procedures (form CT01) at this desk. */
export const RESIDENCE_SERVICE_ID = 'residence';

/** Purpose written to the audit log and matched against stored consents. */
export const RESIDENCE_PURPOSE = 'public-service:residence';

/** What the desk captured for one citizen. */
export interface DeskInput {
  /** Photo of the card side with the QR code (JPEG, PNG, WebP, BMP, GIF bytes). */
  cardImage: Uint8Array;
  /** Live photo of the citizen's face; asks for assurance level 2 (face match + liveness). */
  faceImage?: Uint8Array;
  /**
   * Consent given at the desk for this identification. Without a `face` consent (given here or
   * stored for the citizen with the same purpose) the face photo is not processed at all.
   */
  consent?: { scope: readonly ConsentScope[]; reference?: string };
  /** Answers only the citizen can give (recipient, request, phone…), passed to the form. */
  answers?: FormAnswers;
  /** Declared facts for the queue group (disability, pregnancy…); the age comes from the record. */
  declared?: Omit<CitizenAttributes, 'dateOfBirth'>;
}

/** The desk's server-side resources. */
export interface DeskDeps {
  /** Identity store (e.g. `createSqliteIdentityStore`) holding the citizens and face templates. */
  store: IdentityStore;
  /** Audit log (e.g. `createSqliteAuditLog({ database: store.database })`). */
  audit: AuditLog;
  /** The centre's queue (see {@link createDeskQueue}). */
  queue: SmartQueue;
  /** An open face verifier; required to use a face photo. */
  face?: FaceVerifier;
  /** Operator or kiosk id recorded in the audit log. */
  actor: string;
  /** Queue service for the ticket. @default RESIDENCE_SERVICE_ID */
  serviceId?: string;
  /** Time source of the decision. @default systemClock */
  clock?: Clock;
  /** The date payload dates are checked against. @default today */
  today?: Date;
}

/** How the card photo was read (codes only, no personal data). */
export interface CardRead {
  /** A QR code whose payload is a card payload was found. */
  found: boolean;
  /** Why nothing usable was found (`qr/not-found`, `qr/not-a-card-payload`…), or payload issues. */
  issues: Issue[];
  /** Ladder rung that found the code. */
  strategy?: string;
}

/** Result of {@link identifyAtDesk}. */
export interface DeskResult {
  /** The server's decision, recomputed from the raw QR text and face photo. */
  decision: RawDecision;
  /** The queue ticket; only for a verified citizen. */
  ticket: Ticket | undefined;
  /** Form ct01 pre-filled from the stored record; only for a verified citizen. */
  form: FillResult | undefined;
  /** How the card photo was read. */
  card: CardRead;
}

/**
 * The evidence verifiers of the desk: the QR slice of `@smart-citizen/qr` (the payload through
 * `parseCardQr`) and, with a face verifier, the `face` and `liveness` slice of `@smart-citizen/face`.
 * @param face - An open face verifier, or undefined for QR-only decisions.
 * @param today - Date payload dates are checked against. @default today
 * @returns Verifiers for `decideFromRawEvidence`.
 */
export function deskEvidenceVerifiers(face?: FaceVerifier, today?: Date): EvidenceVerifiers {
  return combineEvidenceVerifiers(
    qrEvidenceVerifiers(today ? { today } : {}),
    face ? faceEvidenceVerifiers(face, { referenceType: 'photo' }) : undefined,
  );
}

/**
 * A one-desk queue: residence procedures (prefix `C`) and certification (prefix `B`), two counters,
 * the default Vietnamese citizen groups (`vietnamPriorityPolicy`) and aging routing.
 * @param backend - Queue storage. @default createInMemoryQueueBackend()
 * @param clock - Time source. @default systemClock
 * @returns The queue.
 */
export function createDeskQueue(backend: QueueBackend = createInMemoryQueueBackend(), clock?: Clock): SmartQueue {
  return createSmartQueue({
    services: [
      { id: RESIDENCE_SERVICE_ID, name: 'Cư trú', prefix: 'C', expectedHandlingMs: 10 * 60_000 },
      { id: 'certification', name: 'Chứng thực', prefix: 'B', expectedHandlingMs: 4 * 60_000 },
    ],
    counters: [
      { id: 'quay-1', label: 'Quầy 1', services: [RESIDENCE_SERVICE_ID, 'certification'] },
      { id: 'quay-2', label: 'Quầy 2', services: ['certification', RESIDENCE_SERVICE_ID] },
    ],
    priorityPolicy: vietnamPriorityPolicy,
    routing: agingPolicy({ agingMsPerLevel: 10 * 60_000, starvationBoundMs: 45 * 60_000 }),
    backend,
    ...(clock ? { clock } : {}),
  });
}

/**
 * Identify a citizen at the desk and, when verified, give them a ticket and a pre-filled CT01.
 * Reads the QR code of the card photo, then lets the server decide from the raw evidence (level 1
 * with the card only, level 2 with a face photo), appending to the audit log. Nothing personal is
 * logged; the ticket carries no personal data.
 * @param input - The card photo, optionally a face photo, consent and the citizen's answers.
 * @param deps - Store, audit log, queue, face verifier, actor.
 * @returns `{ decision, ticket, form, card }`; `ticket` and `form` only when verified.
 * @throws SmartCitizenError `image/*` for card bytes that are not an image; `face/*` for a closed verifier.
 */
export async function identifyAtDesk(input: DeskInput, deps: DeskDeps): Promise<DeskResult> {
  const read = await readCardQr(input.cardImage, deps.today ? { today: deps.today } : {});
  const card: CardRead = {
    found: read.ok,
    issues: read.issues,
    ...(read.strategy !== undefined ? { strategy: read.strategy } : {}),
  };
  // The decision uses the raw text, not the browser-side parse: the verifier re-parses it.
  const useFace = input.faceImage !== undefined && deps.face !== undefined;
  const raw: RawEvidence = {
    ...(read.text !== undefined ? { qrPayload: read.text } : {}),
    ...(useFace && input.faceImage ? { faceImage: input.faceImage } : {}),
    ...(input.consent ? { consent: input.consent } : {}),
  };
  const decision = await decideFromRawEvidence(
    raw,
    deskEvidenceVerifiers(useFace ? deps.face : undefined, deps.today),
    deps.store,
    {
      policy: { level: input.faceImage !== undefined ? 2 : 1, purpose: RESIDENCE_PURPOSE },
      audit: deps.audit,
      actor: deps.actor,
      ...(deps.clock ? { clock: deps.clock } : {}),
    },
  );
  if (decision.outcome !== 'verified' || decision.idNumber === undefined) {
    return { decision, ticket: undefined, form: undefined, card };
  }
  // The record is the reference (the decision already checked the card against it).
  const record = await deps.store.get(decision.idNumber);
  if (!record) return { decision, ticket: undefined, form: undefined, card };
  const { ticket } = await deps.queue.issue(deps.serviceId ?? RESIDENCE_SERVICE_ID, {
    attributes: attributesFromIdentity(record.identity, input.declared ?? {}),
  });
  const form = await fillForm(
    'ct01',
    {
      identity: record.identity,
      ...(input.answers ? { answers: input.answers } : {}),
    },
    deps.today ? { today: deps.today } : {},
  );
  return { decision, ticket, form, card };
}
