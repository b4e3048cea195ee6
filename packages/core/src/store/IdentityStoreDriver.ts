import type { SealedBlob } from '../privacy/BiometricCipher.js';
import type { ConsentRecord } from '../privacy/consent.js';
import type { ChangeEntry, CitizenRecord, FaceSearchHit, StoredIdentity, TemplateInfo } from './IdentityStore.js';
import type { TemplateKind } from './templateModalities.js';

/** A template row as a driver keeps it: its metadata and the sealed bytes (never plaintext). */
export interface SealedTemplateRow extends TemplateInfo {
  /** AES-GCM nonce. */
  iv: Uint8Array;
  /** Ciphertext with its 16-byte tag. */
  ciphertext: Uint8Array;
}

/** A page of {@link IdentityStoreDriver.scanTemplates}. */
export interface TemplatePage {
  rows: SealedTemplateRow[];
  /** Cursor for the next page (pass as `after`). */
  next: number;
}

/** Filter of {@link IdentityStoreDriver.scanTemplates}. */
export interface TemplateScan {
  /** Only this kind. */
  kind?: TemplateKind;
  /** Only templates not sealed under this key (key rotation). */
  notKeyId?: string;
  /** Cursor from the previous page; 0 for the first. */
  after: number;
  limit: number;
}

/**
 * The writes of one store operation, made atomically: `createIdentityStore` calls
 * {@link IdentityStoreDriver.transaction} once per operation and these methods inside it.
 * Each method is a plain row write; what they mean (the change feed, the face index, which
 * checks come first) is decided in core.
 */
export interface IdentityStoreTransaction {
  /** The citizen as this transaction sees it. */
  getCitizen(idNumber: string): Promise<CitizenRecord | undefined>;
  /**
   * Insert or replace citizens (validated, one per ID number): a new row gets `createdAt = now`,
   * an existing one keeps its `createdAt`; both get `updatedAt = now`.
   */
  putCitizens(identities: readonly StoredIdentity[], now: number): Promise<void>;
  /** Delete a citizen with their templates (and face vectors) and consents; true when it existed. */
  deleteCitizen(idNumber: string): Promise<boolean>;
  /**
   * The ID numbers in `idNumbers` that have no citizen; the others are held (`FOR SHARE`) until
   * the transaction ends so that a template cannot be enrolled for a citizen being erased.
   */
  missingCitizens(idNumbers: readonly string[]): Promise<string[]>;
  /**
   * Store sealed templates. `vectors[i]`, when given, is the unit-length search copy of row i
   * for the driver's {@link IdentityStoreDriver.vectorSearch} (only for its `kinds`).
   */
  insertTemplates(rows: readonly SealedTemplateRow[], vectors?: readonly (Float32Array | undefined)[]): Promise<void>;
  /** Delete one template; resolves to its owner's ID number, or `undefined` when there was none. */
  deleteTemplate(templateId: string): Promise<string | undefined>;
  /** Replace a template's sealed bytes if it is still sealed under `fromKeyId`; true when replaced. */
  resealTemplate(templateId: string, fromKeyId: string, sealed: SealedBlob): Promise<boolean>;
  /** Store a new consent. */
  insertConsent(record: ConsentRecord): Promise<void>;
  /**
   * Set `withdrawnAt = at` on a consent still in force. Resolves to the record as it is now and
   * whether it changed, or `undefined` when there is no such consent.
   */
  withdrawConsent(consentId: string, at: number): Promise<{ record: ConsentRecord; changed: boolean } | undefined>;
  /** Append to the change feed, in order; resolves to the `seq` of each entry. */
  appendChanges(entries: readonly Omit<ChangeEntry, 'seq'>[]): Promise<number[]>;
}

/** A driver's own vector index (pgvector HNSW), used for the kinds it names. */
export interface DriverVectorSearch {
  /** Kinds whose vectors the driver stores and searches (`face`). */
  readonly kinds: readonly TemplateKind[];
  /** Vector length the index holds; probes of another length find nothing. */
  readonly dimension: number;
  /** The `k` nearest templates of `kind` by cosine similarity, best first. */
  search(kind: TemplateKind, vector: Float32Array, options: { k: number; exact: boolean }): Promise<FaceSearchHit[]>;
}

/**
 * What a backend implements to become an identity store through `createIdentityStore`: rows
 * in, rows out, one transaction per write, and optionally a vector index. Validation, sealing,
 * the change feed, consents, key rotation and the in-process 1:N indexes live in core, once.
 * Reads outside {@link IdentityStoreDriver.transaction} must not see a transaction's writes
 * before it commits. Failures are typed (`store/backend-error`, `store/connection-lost`, …).
 */
export interface IdentityStoreDriver {
  /** Backend name, e.g. `memory`, `sqlite`, `postgres`. */
  readonly name: string;
  /** Package named in errors, e.g. `adapter-sqlite`. */
  readonly pkg: string;
  getCitizen(idNumber: string): Promise<CitizenRecord | undefined>;
  /** Citizens with this old CMND number, by ID number. */
  findByOldIdNumber(oldIdNumber: string): Promise<CitizenRecord[]>;
  countCitizens(): Promise<number>;
  /** Change-feed entries with `seq > afterSeq` and `at >= since`, in `seq` order. */
  listChanges(options: { afterSeq: number; since: number; limit: number }): Promise<ChangeEntry[]>;
  /** The newest `seq` of the change feed (0 when empty): a write by anyone moves it. */
  headSeq(): Promise<number>;
  /** A citizen's templates (sealed), optionally of one kind, oldest first. */
  listTemplates(idNumber: string, kind?: TemplateKind): Promise<SealedTemplateRow[]>;
  /** Templates in insertion order, a page at a time (index loading, key rotation). */
  scanTemplates(filter: TemplateScan): Promise<TemplatePage>;
  /** A citizen's consents, oldest first. */
  listConsents(idNumber: string): Promise<ConsentRecord[]>;
  /** Run `fn` in one transaction: all of its writes or none. */
  transaction<T>(fn: (tx: IdentityStoreTransaction) => Promise<T>): Promise<T>;
  /** Optional vector index over some kinds (see {@link DriverVectorSearch}). */
  readonly vectorSearch?: DriverVectorSearch;
  /** Release the backend. Idempotent. */
  close(): Promise<void>;
}
