import { SmartCitizenError } from '@smart-citizen/core';

/** Codes of the errors the smart queue and its backends throw on purpose. */
export type QueueErrorCode =
  /** A configuration that cannot work: unknown ids, duplicate groups, bad numbers, bad backend options. */
  | 'queue/invalid-config'
  /** A routing policy with impossible parameters, or an unknown policy kind. */
  | 'queue/invalid-policy'
  /** A simulation configuration that cannot be run. */
  | 'queue/invalid-simulation'
  /** A service, counter or citizen group id the centre does not have. */
  | 'queue/unknown-service'
  | 'queue/unknown-counter'
  | 'queue/unknown-group'
  /** A ticket id the backend does not hold. */
  | 'queue/ticket-not-found'
  /** A lifecycle step the `ticketTransitions` table does not allow from the ticket's status. */
  | 'queue/invalid-transition'
  /** An appointment without a usable id or slot, already ticketed, or checked in too early. */
  | 'queue/invalid-appointment'
  | 'queue/appointment-duplicate'
  | 'queue/check-in-too-early'
  /** A call after `close()`. */
  | 'queue/closed'
  /** The backend cannot be reached (lost connection, restart); the operation may be retried. */
  | 'queue/backend-unavailable'
  /** The backend answered with something the queue cannot use. */
  | 'queue/backend-error'
  /** The backend was created without events, and events were asked for. */
  | 'queue/events-disabled'
  /** The backend's schema was written by a newer version of the SDK. */
  | 'queue/schema-too-new';

/**
 * Error thrown by `@smart-citizen/queue` and the queue backends for unusable input or state: a
 * configuration that cannot work, an unknown id, a lifecycle step that is not allowed, a closed
 * or unreachable backend. What a queue decides (a priority group that could not be confirmed, a
 * wait estimate from few samples) comes back as issues, never as an error.
 */
export class QueueError extends SmartCitizenError<QueueErrorCode> {
  override readonly name: string = 'QueueError';
  constructor(
    code: QueueErrorCode,
    message: string,
    /** `pkg` names a backend package that raised it (e.g. `adapter-redis`); @default 'queue' */
    options: { cause?: unknown; details?: Record<string, unknown>; pkg?: string } = {},
  ) {
    super(code, message, { ...options, pkg: options.pkg ?? 'queue' });
  }
}
