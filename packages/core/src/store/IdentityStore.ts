import type { CitizenIdentity } from '../identity/index.js';
import type { ConsentInput, ConsentRecord } from '../privacy/consent.js';
import type { TemplateKind } from './templateModalities.js';

export type { TemplateKind } from './templateModalities.js';

/** An identity as stored: the 12-digit ID number is its key. */
export type StoredIdentity = CitizenIdentity & { idNumber: string };

/** A citizen record in the identity store. */
export interface CitizenRecord {
  identity: StoredIdentity;
  /** First stored (ms since epoch). */
  createdAt: number;
  /** Last changed (ms since epoch). */
  updatedAt: number;
}

/** A template to enrol. */
export interface TemplateInput {
  kind: TemplateKind;
  /** Encoding of `data`: `f32` for face embeddings, `iso-19794-2`, `ansi-378`, `jpeg`, `png`… */
  format: string;
  /** The template bytes (plaintext; the store encrypts them). */
  data: Uint8Array;
  /** Which finger or which capture, e.g. `right-index` (no personal data). */
  label?: string;
}

/** Metadata of a stored template (no biometric bytes). */
export interface TemplateInfo {
  id: string;
  idNumber: string;
  kind: TemplateKind;
  format: string;
  label: string | null;
  createdAt: number;
  /** Id of the key the data is encrypted with. */
  keyId: string;
}

/** A stored template, decrypted. */
export interface BiometricTemplate extends TemplateInfo {
  data: Uint8Array;
}

/** What changed. */
export type ChangeOp = 'upsert' | 'erase' | 'template-enrol' | 'template-delete' | 'consent';

/** One entry of the change feed (for replication and caches). */
export interface ChangeEntry {
  /** Increasing position in the feed. */
  seq: number;
  idNumber: string;
  op: ChangeOp;
  /** When (ms since epoch). */
  at: number;
}

/** Options of {@link IdentityStore.listChanges}. */
export interface ListChangesOptions {
  /** Only changes at or after this time (ms since epoch). */
  since?: number;
  /**
   * Only changes after this `seq` (a cursor from the previous page).
   * @default 0
   */
  afterSeq?: number;
  /**
   * At most this many.
   * @default 1000
   */
  limit?: number;
}

/** One hit of a 1:N face search. */
export interface FaceSearchHit {
  idNumber: string;
  templateId: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** One face template of a {@link IdentityStore.scanFaces} page, decrypted. */
export interface FaceScanItem {
  idNumber: string;
  templateId: string;
  embedding: Float32Array;
}

/** A page of {@link IdentityStore.scanFaces}. */
export interface FaceScanPage {
  items: FaceScanItem[];
  /** Cursor of the next page (pass as `after`); absent after the last page. */
  next?: string;
}

/** Options of {@link IdentityStore.scanFaces}. */
export interface FaceScanOptions {
  /** Cursor from the previous page (opaque); absent for the first page. */
  after?: string;
  /**
   * Templates per page.
   * @default 500
   */
  limit?: number;
}

/** A probe of {@link IdentityStore.searchFacesMany}. */
export interface FaceProbe {
  embedding: Float32Array;
  /** The enrolled face template the embedding is (from {@link IdentityStore.scanFaces}), if any. */
  templateId?: string;
}

/** Options of {@link IdentityStore.searchFaces}. */
export interface FaceSearchOptions {
  /**
   * Number of hits.
   * @default 5
   */
  k?: number;
  /**
   * Drop hits below this cosine similarity.
   * @default -1
   */
  minSimilarity?: number;
  /**
   * Force an exact search where the backend would use an approximate index (pgvector HNSW);
   * exact-scan backends ignore it.
   * @default false
   */
  exact?: boolean;
}

/** One hit of {@link IdentityStore.searchTemplates}. */
export interface TemplateSearchHit {
  idNumber: string;
  templateId: string;
  /** Higher is more alike; the scale is the index's (cosine similarity for the `face` kind). */
  score: number;
}

/** Options of {@link IdentityStore.searchTemplates}. */
export interface TemplateSearchOptions {
  /**
   * Number of hits.
   * @default 5
   */
  k?: number;
  /** Drop hits scoring below this. */
  minScore?: number;
}

/** Result of {@link IdentityStore.upsertMany}. */
export interface BulkUpsertResult {
  /** Records written. */
  written: number;
}

/**
 * The identity database port. Every store is `createIdentityStore({ driver, keys, clock })`
 * over a driver that only keeps rows: in-memory (`createMemoryIdentityStore`), SQLite
 * (`@smart-citizen/adapter-sqlite`), PostgreSQL (`@smart-citizen/adapter-postgres`); all pass
 * `describeIdentityStoreConformance` from `@smart-citizen/core/testing`.
 *
 * Biometric data is encrypted at rest with the store's key provider; a store opened without
 * keys refuses biometric operations (`store/encryption-required`). Every write appends to the
 * change feed; writes are atomic (all or nothing).
 */
export interface IdentityStore {
  /** The citizen with this 12-digit ID number. */
  get(idNumber: string): Promise<CitizenRecord | undefined>;
  /** Citizens whose old CMND number is this (old numbers were not always unique). */
  findByOldIdNumber(oldIdNumber: string): Promise<CitizenRecord[]>;
  /**
   * Insert or replace a citizen's identity (the whole identity is replaced).
   * @throws SmartCitizenError `store/invalid-identity` for a malformed identity
   */
  upsert(identity: StoredIdentity): Promise<CitizenRecord>;
  /**
   * Right to erasure: delete the citizen, their templates and consents.
   * @returns true when the citizen existed
   */
  erase(idNumber: string): Promise<boolean>;
  /** Changes in `seq` order. */
  listChanges(options?: ListChangesOptions): Promise<ChangeEntry[]>;
  /**
   * Encrypt and store a template for an existing citizen.
   * @throws SmartCitizenError `store/not-found`, `store/invalid-template`, `store/encryption-required`
   */
  enrolTemplate(idNumber: string, template: TemplateInput): Promise<TemplateInfo>;
  /** A citizen's templates, decrypted, optionally of one kind. */
  getTemplates(idNumber: string, kind?: TemplateKind): Promise<BiometricTemplate[]>;
  /**
   * Optional: a citizen's templates without their data (nothing is decrypted; no keys needed),
   * oldest first, optionally of one kind — what {@link IdentityStore.getTemplates} returns less `data`.
   */
  listTemplates?(idNumber: string, kind?: TemplateKind): Promise<TemplateInfo[]>;
  /** Delete one template; true when it existed. */
  deleteTemplate(templateId: string): Promise<boolean>;
  /** Record a consent. */
  recordConsent(input: ConsentInput): Promise<ConsentRecord>;
  /** Withdraw a consent (from `at`, default now); resolves to the updated record. */
  withdrawConsent(consentId: string, at?: number): Promise<ConsentRecord | undefined>;
  /** A citizen's consents, oldest first. */
  listConsents(idNumber: string): Promise<ConsentRecord[]>;
  /** Release the backend. Idempotent. */
  close(): Promise<void>;

  /** Optional: write many identities in one transaction (bulk import). All or nothing. */
  upsertMany?(identities: readonly StoredIdentity[]): Promise<BulkUpsertResult>;
  /**
   * Optional: enrol many templates in one transaction (bulk migration). All or nothing: an unknown
   * citizen or a bad template anywhere writes none.
   */
  enrolTemplates?(items: readonly { idNumber: string; template: TemplateInput }[]): Promise<TemplateInfo[]>;
  /**
   * Optional: every `face` template, decrypted, a page at a time in enrolment order (keyset paging
   * on the driver's template cursor: no offset, memory of one page). Templates enrolled while a
   * scan runs appear in a later page; deleted ones no longer appear.
   * @throws SmartCitizenError `store/encryption-required` without keys, `store/invalid-options` for a bad cursor or limit
   */
  scanFaces?(options?: FaceScanOptions): Promise<FaceScanPage>;
  /** Optional: 1:N search over enrolled `face` templates (format `f32`) by cosine similarity. */
  searchFaces?(embedding: Float32Array, options?: FaceSearchOptions): Promise<FaceSearchHit[]>;
  /**
   * Optional: {@link IdentityStore.searchFaces} for many probes, hits per probe in their order. An
   * in-process sign-code index answers a batch with one tiled scan of its codes (the dedupe job's
   * all-pairs pass); a probe with the `templateId` of an enrolled face template (as
   * {@link IdentityStore.scanFaces} gives it) is searched with that template's indexed vector.
   */
  searchFacesMany?(probes: readonly FaceProbe[], options?: FaceSearchOptions): Promise<FaceSearchHit[][]>;
  /**
   * Optional: 1:N search over enrolled templates of one kind through the index registered for it
   * (`createIdentityStore({ indexes })`, e.g. a fingerprint matcher); `face` uses the face index.
   * @param probe - what the kind's index searches with (a `Float32Array` for `face`)
   * @throws SmartCitizenError `store/no-index` when no index is registered for `kind`
   */
  searchTemplates?(kind: TemplateKind, probe: unknown, options?: TemplateSearchOptions): Promise<TemplateSearchHit[]>;
  /** Optional: re-encrypt every template not sealed with the key provider's current key. */
  rotateKeys?(): Promise<{ reencrypted: number }>;
  /** Optional: number of citizens. */
  count?(): Promise<number>;
}
