import { SmartCitizenError } from '../errors/index.js';
import type { Clock, Logger } from '../ports/index.js';
import { silentLogger, systemClock } from '../ports/index.js';
import type { BiometricCipher, SealedBlob } from '../privacy/BiometricCipher.js';
import { createBiometricCipher } from '../privacy/BiometricCipher.js';
import type { KeyProvider } from '../privacy/KeyProvider.js';
import { newConsentRecord } from '../privacy/consent.js';
import type {
  BiometricTemplate,
  CitizenRecord,
  FaceSearchHit,
  IdentityStore,
  StoredIdentity,
  TemplateInfo,
  TemplateInput,
  TemplateSearchHit,
} from './IdentityStore.js';
import { decodeEmbedding } from './embedding.js';
import type { IdentityStoreDriver, SealedTemplateRow } from './IdentityStoreDriver.js';
import type { TemplateIndex, TemplateIndexFactory } from './TemplateIndex.js';
import { cosineTemplateIndex } from './TemplateIndex.js';
import type { TemplateKind } from './templateModalities.js';
import { checkTemplateInput, templateModality } from './templateModalities.js';
import { normalizeStoredIdentity, templateAad } from './validateRecord.js';

/** Options every identity store takes, whatever its driver. */
export interface IdentityStoreOptions {
  /** Keys for biometric data; without them biometric operations throw `store/encryption-required`. */
  keys?: KeyProvider;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Logger (receives only counts and codes).
   * @default silentLogger
   */
  logger?: Logger;
  /** When set, face embeddings must have this many dimensions. */
  faceDimension?: number;
  /**
   * In-process 1:N indexes by template kind, for {@link IdentityStore.searchTemplates} (e.g. a
   * fingerprint matcher's index). Vector kinds (`face`) have an exact cosine scan by default.
   */
  indexes?: Partial<Record<TemplateKind, TemplateIndexFactory<never>>>;
}

/** Options of {@link createIdentityStore}. */
export interface CreateIdentityStoreOptions extends IdentityStoreOptions {
  /** Where the rows live. */
  driver: IdentityStoreDriver;
}

/** An {@link IdentityStore} made by {@link createIdentityStore}: every optional capability is there. */
export type FullIdentityStore = IdentityStore &
  Required<
    Pick<
      IdentityStore,
      | 'upsertMany'
      | 'enrolTemplates'
      | 'listTemplates'
      | 'scanFaces'
      | 'searchFaces'
      | 'searchFacesMany'
      | 'searchTemplates'
      | 'rotateKeys'
      | 'count'
    >
  >;

const SCAN_PAGE = 2000;
const ROTATE_PAGE = 500;

const infoOf = (r: SealedTemplateRow): TemplateInfo => ({
  id: r.id,
  idNumber: r.idNumber,
  kind: r.kind,
  format: r.format,
  label: r.label,
  createdAt: r.createdAt,
  keyId: r.keyId,
});

/**
 * The identity store over any driver. Core owns everything but the rows: validation, template
 * sealing (AES-256-GCM through the key provider, bound to its row by AAD), the change feed
 * (one entry per write, in the same transaction), consents, key rotation and the in-process 1:N
 * indexes, which follow the store's own writes and reload when the change feed shows a write
 * by another process. A driver whose {@link IdentityStoreDriver.vectorSearch} covers `face`
 * answers {@link IdentityStore.searchFaces} itself.
 * @param options - the driver, keys, clock, logger
 * @returns the store
 * @example
 * const store = createIdentityStore({ driver: createMemoryIdentityDriver(), keys });
 */
export function createIdentityStore(options: CreateIdentityStoreOptions): FullIdentityStore {
  const { driver } = options;
  const pkg = driver.pkg;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const cipher: BiometricCipher | undefined = options.keys ? createBiometricCipher(options.keys) : undefined;
  const vectors = driver.vectorSearch;
  const indexes = new Map<TemplateKind, { index: TemplateIndex<unknown>; seq: number }>();
  let closed = false;

  const open = () => {
    if (closed) throw new SmartCitizenError('store/closed', 'the identity store is closed', { pkg });
  };
  const needCipher = (): BiometricCipher => {
    if (!cipher) {
      throw new SmartCitizenError(
        'store/encryption-required',
        'this store has no key provider: biometric data refused',
        {
          pkg,
        },
      );
    }
    return cipher;
  };
  const openRow = (c: BiometricCipher, r: SealedTemplateRow) =>
    c.open({ keyId: r.keyId, iv: r.iv, ciphertext: r.ciphertext }, templateAad(r.id, r.idNumber, r.kind));
  /**
   * After our own committed write with change-feed positions `seqs`: an index that was at the
   * position just before them takes the write; one that missed writes (another process) is dropped.
   */
  const follow = (seqs: readonly number[], apply?: (index: TemplateIndex<unknown>, kind: TemplateKind) => void) => {
    if (seqs.length === 0 || indexes.size === 0) return;
    const sorted = [...seqs].sort((a, b) => a - b);
    const contiguous = sorted.every((v, i) => i === 0 || v === (sorted[i - 1] as number) + 1);
    for (const [kind, state] of indexes) {
      if (contiguous && sorted[0] === state.seq + 1) {
        state.seq = sorted[sorted.length - 1] as number;
        apply?.(state.index, kind);
      } else {
        void state.index.close?.();
        indexes.delete(kind);
      }
    }
  };
  const indexFactory = (kind: TemplateKind): TemplateIndexFactory<unknown> | undefined => {
    const given = options.indexes?.[kind] as TemplateIndexFactory<unknown> | undefined;
    if (given) return given;
    const toVector = templateModality(kind)?.vector;
    return toVector ? (cosineTemplateIndex(toVector) as TemplateIndexFactory<unknown>) : undefined;
  };
  /** The kind's index, loaded (or reloaded after another process wrote) to answer `probe`. */
  const loadIndex = async (kind: TemplateKind, probe: unknown): Promise<TemplateIndex<unknown>> => {
    const factory = indexFactory(kind);
    if (!factory) {
      throw new SmartCitizenError('store/no-index', `no 1:N index is registered for ${String(kind)} templates`, {
        pkg,
      });
    }
    const head = await driver.headSeq();
    let state = indexes.get(kind);
    if (!state || state.seq !== head || !state.index.fits(probe)) {
      const c = needCipher();
      const index = factory(probe);
      let size = 0;
      for (let after = 0; ; ) {
        const page = await driver.scanTemplates({ kind, after, limit: SCAN_PAGE });
        for (const row of page.rows) index.add(row.id, row.idNumber, await openRow(c, row));
        size += page.rows.length;
        after = page.next;
        if (page.rows.length < SCAN_PAGE) break;
      }
      // Writes made while loading moved the head on: the next search reloads.
      if (state) void state.index.close?.();
      state = { index, seq: head };
      indexes.set(kind, state);
      logger.debug('template index loaded', { kind, size });
    }
    return state.index;
  };
  const searchIndex = async (kind: TemplateKind, probe: unknown, k: number, minScore?: number) =>
    (await loadIndex(kind, probe)).search(probe, { k, ...(minScore === undefined ? {} : { minScore }) });
  const enrol = async (items: readonly { idNumber: string; template: TemplateInput }[]): Promise<TemplateInfo[]> => {
    open();
    const modalities = items.map((it) => checkTemplateInput(it.template, pkg, options.faceDimension));
    const c = needCipher();
    const now = clock.now();
    const rows = await Promise.all(
      items.map(async ({ idNumber, template }): Promise<SealedTemplateRow> => {
        const id = globalThis.crypto.randomUUID();
        const sealed = await c.seal(template.data, templateAad(id, idNumber, template.kind));
        return {
          id,
          idNumber,
          kind: template.kind,
          format: template.format,
          label: template.label ?? null,
          createdAt: now,
          keyId: sealed.keyId,
          iv: sealed.iv,
          ciphertext: sealed.ciphertext,
        };
      }),
    );
    const searchCopies = vectors
      ? items.map((it, i) =>
          vectors.kinds.includes(it.template.kind) ? modalities[i]?.vector?.(it.template.data) : undefined,
        )
      : undefined;
    const seqs = await driver.transaction(async (tx) => {
      const missing = await tx.missingCitizens([...new Set(items.map((it) => it.idNumber))]);
      if (missing.length > 0) throw new SmartCitizenError('store/not-found', 'no citizen with that ID number', { pkg });
      await tx.insertTemplates(rows, searchCopies);
      return tx.appendChanges(rows.map((r) => ({ idNumber: r.idNumber, op: 'template-enrol' as const, at: now })));
    });
    follow(seqs, (index, kind) => {
      rows.forEach((r, i) => {
        if (r.kind === kind) index.add(r.id, r.idNumber, (items[i] as { template: TemplateInput }).template.data);
      });
    });
    return rows.map(infoOf);
  };

  const scanFaces: FullIdentityStore['scanFaces'] = async (opts = {}) => {
    open();
    const limit = opts.limit ?? 500;
    const after = opts.after === undefined ? 0 : Number(opts.after);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000 || !Number.isSafeInteger(after) || after < 0) {
      throw new SmartCitizenError(
        'store/invalid-options',
        'scanFaces: limit 1…100000 and a cursor from a previous page',
        {
          pkg,
        },
      );
    }
    const c = needCipher();
    const page = await driver.scanTemplates({ kind: 'face', after, limit });
    const items = await Promise.all(
      page.rows.map(async (row) => ({
        idNumber: row.idNumber,
        templateId: row.id,
        embedding: decodeEmbedding(await openRow(c, row)),
      })),
    );
    return page.rows.length < limit ? { items } : { items, next: String(page.next) };
  };

  const searchFaces: FullIdentityStore['searchFaces'] = async (embedding, opts = {}): Promise<FaceSearchHit[]> => {
    open();
    const k = opts.k ?? 5;
    const min = opts.minSimilarity ?? -1;
    if (k <= 0) return [];
    if (vectors?.kinds.includes('face')) {
      if (embedding.length !== vectors.dimension) return [];
      const hits = await vectors.search('face', embedding, { k, exact: opts.exact ?? false });
      return hits.filter((h) => h.similarity >= min);
    }
    const hits = await searchIndex('face', embedding, k, min);
    return hits.map((h) => ({ idNumber: h.idNumber, templateId: h.templateId, similarity: h.score }));
  };

  const searchFacesMany: FullIdentityStore['searchFacesMany'] = async (probes, opts = {}) => {
    open();
    const k = opts.k ?? 5;
    const first = probes[0];
    if (k <= 0 || !first) return probes.map(() => []);
    if (vectors?.kinds.includes('face')) {
      const out: FaceSearchHit[][] = [];
      for (const p of probes) out.push(await searchFaces(p.embedding, opts));
      return out;
    }
    const index = await loadIndex('face', first.embedding);
    const min = opts.minSimilarity ?? -1;
    const toHits = (hits: TemplateSearchHit[]) =>
      hits.map((h) => ({ idNumber: h.idNumber, templateId: h.templateId, similarity: h.score }));
    const fitting = probes.filter((p) => index.fits(p.embedding));
    const found = index.searchMany
      ? await index.searchMany(
          fitting.map((p) => ({ probe: p.embedding, ...(p.templateId ? { templateId: p.templateId } : {}) })),
          { k, minScore: min },
        )
      : fitting.map((p) => index.search(p.embedding, { k, minScore: min }));
    const out: FaceSearchHit[][] = [];
    let j = 0;
    // A probe the index does not fit (another dimension) is searched alone, as searchFaces would.
    for (const p of probes)
      out.push(
        index.fits(p.embedding) ? toHits(found[j++] as TemplateSearchHit[]) : await searchFaces(p.embedding, opts),
      );
    return out;
  };

  return {
    async get(idNumber) {
      open();
      return driver.getCitizen(idNumber);
    },
    async findByOldIdNumber(oldIdNumber) {
      open();
      return driver.findByOldIdNumber(oldIdNumber);
    },
    async upsert(identity) {
      open();
      const clean = normalizeStoredIdentity(identity, pkg);
      const now = clock.now();
      const { record, seqs } = await driver.transaction(async (tx) => {
        await tx.putCitizens([clean], now);
        const seqs = await tx.appendChanges([{ idNumber: clean.idNumber, op: 'upsert', at: now }]);
        return { record: (await tx.getCitizen(clean.idNumber)) as CitizenRecord, seqs };
      });
      follow(seqs);
      return record;
    },
    async upsertMany(identities) {
      open();
      // Last one wins within a batch, as if written one by one.
      const byId = new Map<string, StoredIdentity>();
      for (const identity of identities) {
        const clean = normalizeStoredIdentity(identity, pkg);
        byId.delete(clean.idNumber);
        byId.set(clean.idNumber, clean);
      }
      const all = [...byId.values()];
      const now = clock.now();
      const seqs = await driver.transaction(async (tx) => {
        await tx.putCitizens(all, now);
        return tx.appendChanges(all.map((c) => ({ idNumber: c.idNumber, op: 'upsert' as const, at: now })));
      });
      follow(seqs);
      logger.debug('identity store bulk upsert', { count: all.length });
      return { written: identities.length };
    },
    async erase(idNumber) {
      open();
      const now = clock.now();
      const seqs = await driver.transaction(async (tx) =>
        (await tx.deleteCitizen(idNumber)) ? tx.appendChanges([{ idNumber, op: 'erase', at: now }]) : [],
      );
      follow(seqs, (index) => index.removeOwner(idNumber));
      return seqs.length > 0;
    },
    async listChanges(opts = {}) {
      open();
      return driver.listChanges({
        afterSeq: opts.afterSeq ?? 0,
        since: opts.since ?? Number.MIN_SAFE_INTEGER,
        limit: opts.limit ?? 1000,
      });
    },
    async enrolTemplate(idNumber, template) {
      return (await enrol([{ idNumber, template }]))[0] as TemplateInfo;
    },
    enrolTemplates: enrol,
    async getTemplates(idNumber, kind) {
      open();
      const rows = await driver.listTemplates(idNumber, kind);
      if (rows.length === 0) return [];
      const c = needCipher();
      const out: BiometricTemplate[] = [];
      for (const r of rows) out.push({ ...infoOf(r), data: await openRow(c, r) });
      return out;
    },
    async listTemplates(idNumber, kind) {
      open();
      return (await driver.listTemplates(idNumber, kind)).map(infoOf);
    },
    async deleteTemplate(templateId) {
      open();
      const now = clock.now();
      const seqs = await driver.transaction(async (tx) => {
        const owner = await tx.deleteTemplate(templateId);
        return owner === undefined ? [] : tx.appendChanges([{ idNumber: owner, op: 'template-delete', at: now }]);
      });
      follow(seqs, (index) => index.remove(templateId));
      return seqs.length > 0;
    },
    async recordConsent(input) {
      open();
      const now = clock.now();
      const record = newConsentRecord(input, now, pkg);
      const seqs = await driver.transaction(async (tx) => {
        await tx.insertConsent(record);
        return tx.appendChanges([{ idNumber: record.idNumber, op: 'consent', at: now }]);
      });
      follow(seqs);
      return record;
    },
    async withdrawConsent(consentId, at) {
      open();
      const now = clock.now();
      const { record, seqs } = await driver.transaction(async (tx) => {
        const w = await tx.withdrawConsent(consentId, at ?? now);
        if (!w) return { record: undefined, seqs: [] };
        const seqs = w.changed ? await tx.appendChanges([{ idNumber: w.record.idNumber, op: 'consent', at: now }]) : [];
        return { record: w.record, seqs };
      });
      follow(seqs);
      return record;
    },
    async listConsents(idNumber) {
      open();
      return driver.listConsents(idNumber);
    },
    scanFaces,
    searchFaces,
    searchFacesMany,
    async searchTemplates(kind, probe, opts = {}): Promise<TemplateSearchHit[]> {
      open();
      const k = opts.k ?? 5;
      if (k <= 0) return [];
      if (kind === 'face' && probe instanceof Float32Array) {
        const hits = await searchFaces(probe, {
          k,
          ...(opts.minScore === undefined ? {} : { minSimilarity: opts.minScore }),
        });
        return hits.map((h) => ({ idNumber: h.idNumber, templateId: h.templateId, score: h.similarity }));
      }
      return searchIndex(kind, probe, k, opts.minScore);
    },
    async rotateKeys() {
      open();
      const c = needCipher();
      const current = await c.currentKeyId();
      let n = 0;
      for (let after = 0; ; ) {
        const page = await driver.scanTemplates({ notKeyId: current, after, limit: ROTATE_PAGE });
        if (page.rows.length === 0) break;
        const updates: { row: SealedTemplateRow; sealed: SealedBlob }[] = [];
        for (const row of page.rows) {
          const sealed = await c.seal(await openRow(c, row), templateAad(row.id, row.idNumber, row.kind));
          updates.push({ row, sealed });
        }
        n += await driver.transaction(async (tx) => {
          let m = 0;
          for (const u of updates) if (await tx.resealTemplate(u.row.id, u.row.keyId, u.sealed)) m++;
          return m;
        });
        after = page.next;
      }
      logger.info('identity store keys rotated', { reencrypted: n });
      return { reencrypted: n };
    },
    async count() {
      open();
      return driver.countCitizens();
    },
    async close() {
      if (closed) return;
      closed = true;
      const open = [...indexes.values()];
      indexes.clear();
      for (const { index } of open) await index.close?.();
      await driver.close();
    },
  };
}
