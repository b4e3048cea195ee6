// What the kiosk server does, without HTTP: kiosk sessions that collect evidence step by step,
// and the decision, ticket and form once the evidence is in. Every piece of evidence is
// re-verified here with the SDK: the card image is read again (QR) and cut (portrait), the face
// frame is embedded and checked for liveness; what the browser computed is never used.
import { randomUUID } from 'node:crypto';
import { combineEvidenceVerifiers, decideFromRawEvidence, formatDate } from '@smart-citizen/core';
import type {
  AuditLog,
  CitizenIdentity,
  Clock,
  EvidenceVerifiers,
  IdentityStore,
  RawDecision,
  RawEvidence,
} from '@smart-citizen/core';
import { createActiveChallenge, type FaceVerifier, faceEvidenceVerifiers } from '@smart-citizen/face';
import { defaultFormRegistry, fillForm } from '@smart-citizen/forms';
import type { FillResult, LocalizedText } from '@smart-citizen/forms';
import { renderFormPdf } from '@smart-citizen/forms/pdf';
import type { IdCardReader } from '@smart-citizen/idcard';
import { encodePng } from '@smart-citizen/image';
import { qrEvidenceVerifiers, readCardQr, safeParseCardQr } from '@smart-citizen/qr';
import { attributesFromIdentity } from '@smart-citizen/queue';
import type { SmartQueue, Ticket } from '@smart-citizen/queue';
import type { KioskCentre, KioskProcedure } from './centre.js';
import { type CardPhotoState, cardOcrVerifiers, type OcrCard, readCardPhoto } from './cardOcr.js';
import type { ChipStation } from './chipStation.js';
import { type ChipKeyInput, type ChipSessionEvidence, chipDecisionInput, readChipIntoSession } from './chipStep.js';
import { HttpError } from './http.js';

/** Purpose written to consents and audit entries of the kiosk. */
export const KIOSK_PURPOSE = 'public-service:kiosk-identification';

/** The active challenges the kiosk may ask for (server-chosen, per session). */
export type KioskChallenge = 'turn-left' | 'turn-right';

/** A camera frame of the challenge as the browser sends it: encoded image and capture time. */
export interface ChallengeFrameInput {
  image: Uint8Array;
  /** Capture time in ms (the browser's clock; only the difference between frames is used). */
  atMs: number;
}

/**
 * What the face step receives: the frontal frame (verified against the card portrait, checked
 * for passive liveness) and the frame where the head is turned as the session's challenge asked.
 */
export interface FaceStepInput {
  frontal: ChallengeFrameInput;
  turned: ChallengeFrameInput;
}

/**
 * The server's re-check of the head turn: a little looser than the browser's 10° / 20° so that
 * JPEG re-encoding does not undo a turn the browser saw, never looser than a real turn.
 */
const SERVER_CHALLENGE = { frontalDegrees: 12, turnDegrees: 18, timeoutMs: 45_000 } as const;

interface KioskSession {
  id: string;
  createdAt: number;
  challenge: KioskChallenge;
  qrPayload?: string | undefined;
  /** A card without QR: the photos so far, and the card read from them. */
  cardPhotos?: CardPhotoState | undefined;
  ocrCard?: OcrCard | undefined;
  idNumber?: string | undefined;
  /** The card portrait cut from the card image, PNG; dropped after the decision. */
  portrait?: Uint8Array | undefined;
  /** The chip read on the kiosk's reader (chipStep.ts); dropped with the session. */
  chip?: ChipSessionEvidence | undefined;
  consent?: { accepted: boolean; reference: string };
  faceAttempts: number;
  decision?: RawDecision | undefined;
  procedure?: KioskProcedure;
  ticket?: Ticket | undefined;
}

/** Resources of {@link createKioskService}. */
export interface KioskServiceDeps {
  store: IdentityStore;
  audit: AuditLog;
  queue: SmartQueue;
  centre: KioskCentre;
  /** Face verifier (default profile); without one the kiosk identifies at level 1 (card only). */
  face?: FaceVerifier;
  /** Card reader for the portrait crop. */
  cardReader?: IdCardReader;
  /** Card reader with OCR (tesseract.js) for cards without a QR code; without one the card-photo step answers 503. */
  cardOcr?: IdCardReader;
  /** Card photos allowed per session. @default 6 */
  maxCardPhotos?: number;
  /** The kiosk's chip reader (chipStation.ts); without one the chip step answers 503. */
  chip?: ChipStation;
  clock: Clock;
  /** Actor id written to the audit log. */
  actor: string;
  /** Fixed challenge (tests); random per session otherwise. */
  challenge?: KioskChallenge;
  /** Session lifetime. @default 15 minutes */
  sessionTtlMs?: number;
  /** Face captures allowed per session. @default 3 */
  maxFaceAttempts?: number;
}

/** The identity shown to the citizen for confirmation. */
export interface ShownIdentity {
  idNumber: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'M' | 'F' | 'unknown';
}

function shown(identity: Partial<CitizenIdentity>): ShownIdentity {
  return {
    idNumber: identity.idNumber ?? '',
    fullName: identity.fullName ?? '',
    dateOfBirth: identity.dateOfBirth ? formatDate(identity.dateOfBirth) : '',
    sex: identity.sex === 'M' || identity.sex === 'F' ? identity.sex : 'unknown',
  };
}

/** Codes only: what a kiosk may show or log. */
const codes = (issues: readonly { code: string }[]) => [...new Set(issues.map((i) => i.code))];

/** The kiosk server's logic. */
export function createKioskService(deps: KioskServiceDeps) {
  const sessions = new Map<string, KioskSession>();
  const ttl = deps.sessionTtlMs ?? 15 * 60_000;
  const maxFace = deps.maxFaceAttempts ?? 3;
  // An authenticated chip's DG2 portrait is the face reference (ISO 19794-5 image, its own threshold).
  const chipTrusted = (s: KioskSession) => s.chip?.reading.authenticated === true;
  const verifiers = (s: KioskSession, withFace: boolean): EvidenceVerifiers =>
    combineEvidenceVerifiers(
      qrEvidenceVerifiers({ today: new Date(deps.clock.now()) }),
      chipDecisionInput(s.chip)?.verifiers,
      withFace && deps.face
        ? faceEvidenceVerifiers(deps.face, { referenceType: chipTrusted(s) ? 'chip-portrait' : 'photo' })
        : undefined,
      s.ocrCard ? cardOcrVerifiers(s.ocrCard, new Date(deps.clock.now())) : undefined,
    );

  const sweep = () => {
    const now = deps.clock.now();
    for (const [id, s] of sessions) if (now - s.createdAt > ttl) sessions.delete(id);
  };
  const get = (id: string): KioskSession => {
    sweep();
    const s = sessions.get(id);
    if (!s) throw new HttpError(404, 'session/not-found', 'no such kiosk session (it may have expired)');
    return s;
  };

  const decide = async (s: KioskSession, faceImage?: Uint8Array): Promise<RawDecision> => {
    const consent = s.consent?.accepted ? { scope: ['face'] as const, reference: s.consent.reference } : undefined;
    const raw: RawEvidence = {
      ...(s.qrPayload !== undefined ? { qrPayload: s.qrPayload } : {}),
      ...(s.ocrCard ? { cardImage: s.ocrCard.image } : {}),
      ...(s.ocrCard?.mrzText !== undefined ? { mrzText: s.ocrCard.mrzText } : {}),
      ...chipDecisionInput(s.chip)?.raw,
      ...(faceImage ? { faceImage } : {}),
      ...(faceImage && s.portrait && !chipTrusted(s) ? { documentPortrait: s.portrait } : {}),
      ...(consent ? { consent } : {}),
    };
    // Level 3 asks for an authenticated chip on top of the live face.
    const level = faceImage ? (chipTrusted(s) ? 3 : 2) : 1;
    return decideFromRawEvidence(raw, verifiers(s, faceImage !== undefined), deps.store, {
      policy: { level, purpose: KIOSK_PURPOSE },
      audit: deps.audit,
      actor: deps.actor,
      clock: deps.clock,
    });
  };

  return {
    procedures: () => deps.centre.procedures,
    faceAvailable: () => deps.face !== undefined,
    cardOcrAvailable: () => deps.cardOcr !== undefined,

    /** Starts a kiosk session; the server picks the liveness challenge. */
    start() {
      sweep();
      const s: KioskSession = {
        id: randomUUID(),
        createdAt: deps.clock.now(),
        challenge: deps.challenge ?? (Math.random() < 0.5 ? 'turn-left' : 'turn-right'),
        faceAttempts: 0,
      };
      sessions.set(s.id, s);
      return {
        sessionId: s.id,
        challenge: s.challenge,
        expiresAt: s.createdAt + ttl,
        face: deps.face !== undefined,
        cardOcr: deps.cardOcr !== undefined,
      };
    },

    /**
     * The card step. With a card image the server reads the QR itself and uses that text (and
     * cuts the portrait); the text the browser read is only a fallback when no image is sent.
     */
    async card(id: string, input: { qrText?: string; cardImage?: Uint8Array }) {
      const s = get(id);
      let text = input.qrText;
      const guidance: string[] = [];
      if (input.cardImage) {
        const read = await readCardQr(input.cardImage, { today: new Date(deps.clock.now()) });
        if (read.text !== undefined) {
          if (text !== undefined && text !== read.text) guidance.push('kiosk/qr-differs');
          text = read.text;
        } else {
          guidance.push(...codes(read.issues));
          if (text === undefined) return { status: 'unreadable' as const, issues: guidance };
          // The browser read a code the server could not find in the still: accept the text
          // (it is parsed and checked against the store like any payload) but say so.
          guidance.push('kiosk/qr-not-in-image');
        }
        if (deps.cardReader && deps.face) {
          const side = await deps.cardReader.readSide(input.cardImage);
          if (side.status === 'read' && side.portrait) s.portrait = encodePng(side.portrait.image);
          else guidance.push(...codes(side.issues));
        }
      }
      if (text === undefined) throw new HttpError(400, 'request/invalid', 'send qrText or cardImage');
      const parsed = safeParseCardQr(text, { today: new Date(deps.clock.now()) });
      if (!parsed.ok) return { status: 'not-a-card' as const, issues: [parsed.error.code, ...guidance] };
      const idNumber = parsed.value.identity.idNumber;
      const record = idNumber ? await deps.store.get(idNumber) : undefined;
      s.qrPayload = text;
      s.ocrCard = undefined;
      s.idNumber = idNumber;
      s.chip = undefined;
      s.decision = undefined;
      s.ticket = undefined;
      return {
        status: 'read' as const,
        known: record !== undefined,
        identity: shown(parsed.value.identity),
        portrait: s.portrait !== undefined,
        issues: [...codes(parsed.value.issues), ...guidance],
      };
    },

    /**
     * The card step for a card without a QR code: one photo (front, or the back when asked for)
     * read by OCR on the server; the answer is the identity to confirm or what to photograph next.
     */
    async cardPhoto(id: string, image: Uint8Array) {
      const s = get(id);
      if (!deps.cardOcr) throw new HttpError(503, 'idcard/unavailable', 'card OCR is not configured');
      s.cardPhotos ??= { photos: {}, attempts: 0 };
      const r = await readCardPhoto(
        {
          reader: deps.cardOcr,
          store: deps.store,
          audit: deps.audit,
          actor: deps.actor,
          purpose: KIOSK_PURPOSE,
          portrait: deps.face !== undefined,
          maxAttempts: deps.maxCardPhotos ?? 6,
        },
        s.cardPhotos,
        image,
        s.id,
      );
      if (r.card) {
        s.qrPayload = undefined;
        s.ocrCard = r.card;
        s.chip = undefined;
        s.idNumber = r.record?.identity.idNumber;
        s.portrait = r.portrait;
        s.decision = undefined;
        s.ticket = undefined;
      }
      return r.answer;
    },

    /**
     * The chip step: reads the card on the kiosk's reader with the key sent or the CAN of the
     * card whose QR was read; the chip's identity replaces the QR's for confirmation.
     */
    async chip(id: string, input: ChipKeyInput) {
      const s = get(id);
      if (!deps.chip) throw new HttpError(503, 'chip/no-reader', 'chip: no chip reader is configured');
      const r = await readChipIntoSession(s, input, { ...deps, station: deps.chip, purpose: KIOSK_PURPOSE });
      s.decision = undefined;
      s.ticket = undefined;
      // Another card than the photographed one: its OCR reading is not this card's either.
      if (r.issues.includes('kiosk/chip-other-card')) s.ocrCard = undefined;
      const { reading, ...rest } = r;
      return { status: 'read' as const, ...rest, identity: shown(reading.fields) };
    },

    /** Records the citizen's answer; consent is stored (and audited) before any biometric step. */
    async consent(id: string, input: { accepted: boolean; scope: string[] }) {
      const s = get(id);
      if (!s.idNumber) throw new HttpError(409, 'session/no-card', 'read the card first');
      const reference = `kiosk:${deps.actor}:${s.id}`;
      if (input.accepted) {
        await deps.store.recordConsent({
          idNumber: s.idNumber,
          purpose: KIOSK_PURPOSE,
          scope: ['face'],
          reference,
          grantedAt: deps.clock.now(),
          expiresAt: deps.clock.now() + ttl,
        });
      }
      await deps.audit.append({
        actor: deps.actor,
        action: input.accepted ? 'consent.grant' : 'consent.refuse',
        subject: s.idNumber,
        purpose: KIOSK_PURPOSE,
        details: { scope: 'face', session: s.id },
      });
      s.consent = { accepted: input.accepted, reference };
      if (!input.accepted) {
        // No biometrics: the card and the record alone (level 1); the counter checks the face.
        s.decision = await decide(s);
        s.cardPhotos = undefined;
        s.ocrCard = undefined;
      }
      return {
        accepted: input.accepted,
        ...(s.decision ? { decision: summary(s.decision) } : {}),
      };
    },

    /**
     * The face step. The server re-runs the session's head-turn challenge on the two frames it
     * receives (frontal, then turned the asked way, the same person in both); only then does it
     * embed the frontal frame, check passive liveness and decide at level 2.
     */
    async face(id: string, input: FaceStepInput) {
      const s = get(id);
      if (!s.idNumber) throw new HttpError(409, 'session/no-card', 'read the card first');
      if (!s.consent?.accepted)
        throw new HttpError(403, 'consent/missing', 'the citizen has not consented to face verification');
      if (!deps.face) throw new HttpError(503, 'face/unavailable', 'face verification is not configured');
      if (s.faceAttempts >= maxFace) throw new HttpError(429, 'session/too-many-attempts', 'ask at the desk');
      s.faceAttempts++;
      const turn = await checkChallenge(deps.face, s.challenge, input);
      if (turn !== 'passed') {
        await deps.audit.append({
          actor: deps.actor,
          action: 'liveness.challenge-failed',
          subject: s.idNumber,
          purpose: KIOSK_PURPOSE,
          details: { challenge: s.challenge, reason: turn, session: s.id },
        });
        if (s.faceAttempts >= maxFace) s.portrait = undefined;
        return {
          outcome: 'retry' as const,
          reasons: [turn],
          attemptsLeft: maxFace - s.faceAttempts,
        };
      }
      const decision = await decide(s, input.frontal.image);
      s.decision = decision;
      if (decision.outcome !== 'needs_review' || s.faceAttempts >= maxFace) {
        s.portrait = undefined;
        s.cardPhotos = undefined;
        s.ocrCard = undefined;
      }
      return { ...summary(decision), attemptsLeft: maxFace - s.faceAttempts };
    },

    /** Issues the ticket of a verified citizen for the chosen procedure. */
    async ticket(id: string, procedureId: string) {
      const s = get(id);
      const procedure = deps.centre.procedures.find((p) => p.id === procedureId);
      if (!procedure) throw new HttpError(404, 'procedure/not-found', 'no such procedure');
      if (s.decision?.outcome !== 'verified' || !s.idNumber)
        throw new HttpError(403, 'session/not-verified', 'the citizen is not verified');
      if (s.ticket) return ticketView(s.ticket, procedure);
      const record = await deps.store.get(s.idNumber);
      if (!record) throw new HttpError(409, 'store/not-found', 'the record is gone');
      const { ticket } = await deps.queue.issue(procedure.serviceId, {
        attributes: attributesFromIdentity(record.identity, {}),
      });
      s.ticket = ticket;
      s.procedure = procedure;
      await deps.audit.append({
        actor: deps.actor,
        action: 'queue.issue',
        subject: s.idNumber,
        purpose: KIOSK_PURPOSE,
        details: { ticket: ticket.number, service: procedure.serviceId, level: s.decision.achievedLevel },
      });
      return ticketView(ticket, procedure);
    },

    /**
     * The procedure's form, pre-filled from the stored record, with the form's own label (Vietnamese
     * and English) of each field path, for the citizen to check.
     */
    async form(id: string): Promise<FillResult & { labels: Record<string, LocalizedText> }> {
      const filled = await filledForm(id);
      const fields = defaultFormRegistry().get(filled.formId, filled.version).fields;
      return { ...filled, labels: Object.fromEntries([...fields].map(([path, f]) => [path, f.label])) };
    },

    async formPdf(id: string) {
      const filled = await filledForm(id);
      const pdf = await renderFormPdf(filled.formId, filled.data);
      return { bytes: pdf.pdf, formId: filled.formId };
    },

    /** Ends a session (the citizen walked away or finished); nothing of it is kept. */
    end(id: string) {
      sessions.delete(id);
    },

    sessionCount: () => sessions.size,
  };

  async function filledForm(id: string): Promise<FillResult> {
    const s = get(id);
    if (!s.procedure || !s.idNumber || s.decision?.outcome !== 'verified')
      throw new HttpError(409, 'session/no-ticket', 'choose a procedure first');
    const record = await deps.store.get(s.idNumber);
    if (!record) throw new HttpError(409, 'store/not-found', 'the record is gone');
    return fillForm(s.procedure.formId, { identity: record.identity }, { today: new Date(deps.clock.now()) });
  }

  async function ticketView(ticket: Ticket, procedure: KioskProcedure) {
    const counters = deps.centre.counters.filter((c) => c.services.includes(procedure.serviceId)).map((c) => c.label);
    // The ticket is issued (committed) by now: a backend too busy to answer the estimate must not
    // turn it into an error the citizen sees (the load test found one at PostgreSQL's pool
    // timeout); the ticket is shown without a wait range instead.
    const wait = await deps.queue.estimateWait(procedure.serviceId, ticket.groupId).then(
      (w) => ({ ahead: w.ahead, lowMs: w.lowMs, highMs: w.highMs }),
      () => null,
    );
    return {
      ticketId: ticket.id,
      number: ticket.number,
      serviceId: ticket.serviceId,
      groupId: ticket.groupId,
      procedure: procedure.name,
      counters,
      issuedAt: ticket.issuedAt,
      wait,
    };
  }
}

/**
 * The head-turn challenge, re-run on the server from the frames it received: the frontal frame
 * must come first and read frontal, the turned one must read as turned the asked way within the
 * challenge's time, one face in each, and both must be the same person (the turned frame
 * embedded and compared with the frontal one), so a turn of someone else's head cannot stand
 * in. Returns `passed` or the reason code.
 */
async function checkChallenge(face: FaceVerifier, kind: KioskChallenge, input: FaceStepInput): Promise<string> {
  const dt = input.turned.atMs - input.frontal.atMs;
  if (!(dt > 0 && dt <= SERVER_CHALLENGE.timeoutMs)) return 'liveness/challenge-frames-out-of-order';
  const challenge = createActiveChallenge({ challenges: [kind], ...SERVER_CHALLENGE });
  let r = challenge.result();
  for (const f of [input.frontal, input.turned]) {
    const frame = await face.analyzeFrame(f.image, f.atMs).catch(() => undefined);
    if (!frame) return 'liveness/challenge-frame-unreadable';
    if (frame.faces !== 1) return frame.faces === 0 ? 'liveness/challenge-no-face' : 'liveness/several-faces';
    r = challenge.push(frame);
  }
  if (r.status !== 'passed') return 'liveness/challenge-not-passed';
  const same = await face.verify(input.turned.image, input.frontal.image).catch(() => undefined);
  if (!same) return 'liveness/challenge-frame-unreadable';
  return same.status === 'compared' && same.score >= same.threshold ? 'passed' : 'liveness/challenge-different-person';
}

/** The decision as the kiosk may see it: outcome, level and codes (no scores, no data). */
function summary(d: RawDecision) {
  return {
    outcome: d.outcome,
    achievedLevel: d.achievedLevel,
    requestedLevel: d.requestedLevel,
    met: d.met,
    reasons: codes(d.reasons),
  };
}

/** The kiosk service. */
export type KioskService = ReturnType<typeof createKioskService>;
