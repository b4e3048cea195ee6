import { SmartCitizenError } from '../errors/index.js';
import type { Clock } from '../ports/index.js';
import { createExclusiveLock, systemClock } from '../ports/index.js';

/** Scalar values allowed in {@link AuditEvent.details}. */
export type AuditDetailValue = string | number | boolean | null;

/** One access to record: who did what to which citizen's data, and why. */
export interface AuditEvent {
  /** Who: operator or service id (e.g. `desk-07/officer-123`). */
  actor: string;
  /** What, as a dotted code, e.g. `identity.read`, `template.read`, `session.decide`. */
  action: string;
  /** Which citizen's data (the ID number), when the action concerns one. */
  subject?: string;
  /** Why: the legal purpose of processing, e.g. `public-service:residence-registration`. */
  purpose: string;
  /** Non-personal details (codes, counts, outcome). */
  details?: Readonly<Record<string, AuditDetailValue>>;
  /**
   * When, in ms since the epoch.
   * @default the log's clock
   */
  at?: number;
}

/** A stored audit entry: the event, its position and its link in the SHA-256 hash chain. */
export interface AuditEntry {
  /** 1-based position in the log. */
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  purpose: string;
  details: Record<string, AuditDetailValue>;
  /** Hash of the previous entry ({@link AUDIT_GENESIS_HASH} for the first). */
  prevHash: string;
  /** SHA-256 (hex) of {@link auditHashInput} of this entry. */
  hash: string;
}

/** Options of {@link AuditLog.list}. */
export interface AuditListOptions {
  /**
   * Return entries with `seq` greater than this.
   * @default 0
   */
  afterSeq?: number;
  /**
   * At most this many entries.
   * @default 1000
   */
  limit?: number;
  /** Only entries about this citizen. */
  subject?: string;
}

/**
 * Append-only, hash-chained audit log port. Adapters must never update or delete an entry and
 * must serialise appends so the chain has no forks. Check one with {@link verifyAuditChain}.
 */
export interface AuditLog {
  /** Append an event; resolves to the stored entry with its hash. */
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Entries in `seq` order. */
  list(options?: AuditListOptions): Promise<AuditEntry[]>;
  /** Release the backend. Idempotent. */
  close(): Promise<void>;
}

/** `prevHash` of the first entry. */
export const AUDIT_GENESIS_HASH: string = '0'.repeat(64);

const LIMITS = { actor: 200, action: 100, subject: 64, purpose: 300, detailKeys: 32, detailValue: 500 };

/**
 * Check an event before it is appended and return its normalised details.
 * @internal shared by the adapters
 */
export function checkAuditEvent(event: AuditEvent, pkg = 'core'): Record<string, AuditDetailValue> {
  const bad = (message: string) => new SmartCitizenError('audit/invalid-event', message, { pkg });
  if (typeof event.actor !== 'string' || event.actor.length === 0 || event.actor.length > LIMITS.actor) {
    throw bad('audit event needs an actor (1–200 characters)');
  }
  if (typeof event.action !== 'string' || !/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(event.action)) {
    throw bad('audit action must be a dotted lower-case code such as identity.read');
  }
  if (event.action.length > LIMITS.action) throw bad('audit action is too long');
  if (typeof event.purpose !== 'string' || event.purpose.length === 0 || event.purpose.length > LIMITS.purpose) {
    throw bad('audit event needs a purpose (1–300 characters)');
  }
  if (event.subject !== undefined && (typeof event.subject !== 'string' || event.subject.length > LIMITS.subject)) {
    throw bad('audit subject must be a short string');
  }
  if (event.at !== undefined && !Number.isSafeInteger(event.at)) throw bad('audit time must be an integer (ms)');
  const details: Record<string, AuditDetailValue> = {};
  const entries = Object.entries(event.details ?? {});
  if (entries.length > LIMITS.detailKeys) throw bad('too many audit details');
  for (const [k, v] of entries) {
    const ok =
      v === null ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      (typeof v === 'string' && v.length <= LIMITS.detailValue);
    if (!ok) throw bad('audit details must be short scalars');
    details[k] = v;
  }
  return details;
}

function sortedDetails(details: Record<string, AuditDetailValue>): [string, AuditDetailValue][] {
  return Object.keys(details)
    .sort()
    .map((k) => [k, details[k] ?? null]);
}

/**
 * The canonical text that is hashed for an entry (everything but `hash`). Exposed so adapters that
 * hash synchronously (node:crypto) produce the same chain as WebCrypto.
 * @param entry - the entry without its hash
 * @returns a canonical JSON string
 */
export function auditHashInput(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    'sc-audit-v1',
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.subject,
    entry.purpose,
    sortedDetails(entry.details),
    entry.prevHash,
  ]);
}

/**
 * SHA-256 as lower-case hex, through WebCrypto (Node 20 and browsers): the SDK's one digest
 * helper (audit chain, model checksums).
 * @param input - a string (hashed as UTF-8) or bytes
 * @returns 64 hex characters
 */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Hash of an entry in the chain.
 * @param entry - the entry without its hash
 * @returns SHA-256 hex
 */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): Promise<string> {
  return sha256Hex(auditHashInput(entry));
}

/** Result of {@link verifyAuditChain}. */
export type AuditChainVerification =
  | { ok: true; count: number; headHash: string }
  | {
      ok: false;
      /** Entries checked before the break. */
      count: number;
      /** The first entry that does not fit (for `truncated`, the expected head's seq if known). */
      brokenAt: number;
      reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap' | 'head-mismatch';
    };

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /**
   * A head hash recorded elsewhere (printed, sent to another system). Without it, deleting the
   * newest entries cannot be detected by the chain alone.
   */
  expectedHeadHash?: string;
  /**
   * Entries fetched per page from a log.
   * @default 1000
   */
  pageSize?: number;
}

async function* entriesOf(source: AuditLog | Iterable<AuditEntry>, pageSize: number): AsyncGenerator<AuditEntry> {
  if (Symbol.iterator in source) {
    yield* source as Iterable<AuditEntry>;
    return;
  }
  let after = 0;
  for (;;) {
    const page = await (source as AuditLog).list({ afterSeq: after, limit: pageSize });
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]?.seq ?? after;
    if (page.length < pageSize) return;
  }
}

/**
 * Re-compute every hash of an audit log (or a list of its entries, from the first) and report the
 * first entry that was altered, removed or inserted.
 * @param source - an {@link AuditLog} or its entries in order
 * @param options - optional trusted head hash
 * @returns `{ ok: true }` with the head hash, or where and why the chain breaks
 */
export async function verifyAuditChain(
  source: AuditLog | Iterable<AuditEntry>,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainVerification> {
  let prev = AUDIT_GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for await (const e of entriesOf(source, options.pageSize ?? 1000)) {
    if (e.seq !== expectedSeq) return { ok: false, count, brokenAt: e.seq, reason: 'seq-gap' };
    if (e.prevHash !== prev) return { ok: false, count, brokenAt: e.seq, reason: 'prev-hash-mismatch' };
    const { hash, ...rest } = e;
    if ((await hashAuditEntry(rest)) !== hash) return { ok: false, count, brokenAt: e.seq, reason: 'hash-mismatch' };
    prev = hash;
    expectedSeq++;
    count++;
  }
  if (options.expectedHeadHash !== undefined && options.expectedHeadHash !== prev) {
    return { ok: false, count, brokenAt: expectedSeq, reason: 'head-mismatch' };
  }
  return { ok: true, count, headHash: prev };
}

/** The newest entry's position and hash, as {@link AuditLogDriver.append} hands it over. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * What a backend implements to become an audit log through {@link createAuditLog}: it stores
 * and lists rows and serialises appends; the entry, its place in the chain and its hash are
 * computed in core, the same way for every backend.
 */
export interface AuditLogDriver {
  /** Package named in errors, e.g. `adapter-sqlite`. */
  readonly pkg: string;
  /**
   * Append one entry in one transaction: under a lock that serialises appends to this log
   * (across processes where the backend is shared), read the newest entry, give it to `next`
   * and store the entry `next` resolves to. Never updates or deletes a row.
   */
  append(next: (head: AuditHead | undefined) => Promise<AuditEntry>): Promise<AuditEntry>;
  /** Entries with `seq > afterSeq` (of one subject when given), in `seq` order. */
  list(options: { afterSeq: number; limit: number; subject?: string }): Promise<AuditEntry[]>;
  /** Release the backend. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createAuditLog}. */
export interface CreateAuditLogOptions {
  /** Where the rows live. */
  driver: AuditLogDriver;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
}

/**
 * The audit log over any driver: checks each event, links it to the newest entry and hashes
 * it (SHA-256 over {@link auditHashInput}), then lets the driver store it.
 * @param options - the driver and clock
 * @returns the log
 */
export function createAuditLog(options: CreateAuditLogOptions): AuditLog {
  const { driver } = options;
  const clock = options.clock ?? systemClock;
  let closed = false;
  return {
    async append(event) {
      if (closed) throw new SmartCitizenError('audit/closed', 'the audit log is closed', { pkg: driver.pkg });
      const details = checkAuditEvent(event, driver.pkg);
      const at = event.at ?? clock.now();
      return driver.append(async (head) => {
        const base = {
          seq: (head?.seq ?? 0) + 1,
          at,
          actor: event.actor,
          action: event.action,
          subject: event.subject ?? null,
          purpose: event.purpose,
          details,
          prevHash: head?.hash ?? AUDIT_GENESIS_HASH,
        };
        return { ...base, hash: await hashAuditEntry(base) };
      });
    },
    async list(opts = {}) {
      if (closed) throw new SmartCitizenError('audit/closed', 'the audit log is closed', { pkg: driver.pkg });
      return driver.list({
        afterSeq: opts.afterSeq ?? 0,
        limit: opts.limit ?? 1000,
        ...(opts.subject === undefined ? {} : { subject: opts.subject }),
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await driver.close();
    },
  };
}

/** Options of {@link createMemoryAuditLog}. */
export interface MemoryAuditLogOptions {
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
}

/** The in-memory audit log, with a test hook to tamper with its own entries. */
export interface MemoryAuditLog extends AuditLog {
  /**
   * Direct access to the stored entries, to show in tests that tampering is detected.
   * @internal
   */
  readonly entriesForTest: AuditEntry[];
}

/**
 * The in-memory audit driver: entries in an array, appends one at a time.
 * @param entries - the array to keep them in
 */
export function createMemoryAuditDriver(entries: AuditEntry[] = []): AuditLogDriver {
  const lock = createExclusiveLock();
  const copy = (e: AuditEntry): AuditEntry => ({ ...e, details: { ...e.details } });
  return {
    pkg: 'core',
    append: (next) =>
      lock.run(async () => {
        const last = entries[entries.length - 1];
        const entry = await next(last && { seq: last.seq, hash: last.hash });
        entries.push(copy(entry));
        return entry;
      }),
    async list({ afterSeq, limit, subject }) {
      const out: AuditEntry[] = [];
      for (const e of entries) {
        if (e.seq <= afterSeq || (subject !== undefined && e.subject !== subject)) continue;
        out.push(copy(e));
        if (out.length >= limit) break;
      }
      return out;
    },
    async close() {},
  };
}

/**
 * An in-memory {@link AuditLog} (tests, single-process demos). Entries are lost on exit.
 * @param options - clock
 * @returns the log
 */
export function createMemoryAuditLog(options: MemoryAuditLogOptions = {}): MemoryAuditLog {
  const entries: AuditEntry[] = [];
  const log = createAuditLog({ driver: createMemoryAuditDriver(entries), ...options });
  return { ...log, entriesForTest: entries };
}
