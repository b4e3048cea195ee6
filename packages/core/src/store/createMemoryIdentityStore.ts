import { SmartCitizenError } from '../errors/index.js';
import type { Clock, Logger } from '../ports/index.js';
import { silentLogger, systemClock } from '../ports/index.js';
import type { BiometricCipher, SealedBlob } from '../privacy/BiometricCipher.js';
import { createBiometricCipher } from '../privacy/BiometricCipher.js';
import type { KeyProvider } from '../privacy/KeyProvider.js';
import type { ConsentRecord } from '../privacy/consent.js';
import { newConsentRecord } from '../privacy/consent.js';
import { FaceScanIndex } from './FaceScanIndex.js';
import type {
  BiometricTemplate,
  ChangeEntry,
  ChangeOp,
  CitizenRecord,
  IdentityStore,
  StoredIdentity,
  TemplateInfo,
  TemplateKind,
} from './IdentityStore.js';
import { checkTemplateInput, decodeEmbedding, normalizeStoredIdentity, templateAad } from './validateRecord.js';

/** Options of {@link createMemoryIdentityStore}. */
export interface MemoryIdentityStoreOptions {
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
}

interface StoredTemplate extends TemplateInfo {
  sealed: SealedBlob;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * The in-memory identity store: tests, demos and kiosks that load a small roster. Templates are
 * kept encrypted like in the persistent adapters; 1:N face search is an exact scan.
 * @param options - keys, clock, logger
 * @returns an {@link IdentityStore}
 */
export function createMemoryIdentityStore(options: MemoryIdentityStoreOptions = {}): IdentityStore {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const cipher: BiometricCipher | undefined = options.keys ? createBiometricCipher(options.keys) : undefined;
  const citizens = new Map<string, CitizenRecord>();
  const templates = new Map<string, StoredTemplate>();
  const consents = new Map<string, ConsentRecord>();
  const changes: ChangeEntry[] = [];
  let index: FaceScanIndex | undefined;
  let closed = false;

  const open = () => {
    if (closed) throw new SmartCitizenError('store/closed', 'the identity store is closed');
  };
  const needCipher = (): BiometricCipher => {
    if (!cipher) {
      throw new SmartCitizenError(
        'store/encryption-required',
        'this store has no key provider: biometric data refused',
      );
    }
    return cipher;
  };
  const change = (idNumber: string, op: ChangeOp, at: number) => {
    changes.push({ seq: changes.length + 1, idNumber, op, at });
  };
  const info = (t: StoredTemplate): TemplateInfo => {
    const { sealed: _sealed, ...rest } = t;
    return { ...rest };
  };
  const put = (identity: StoredIdentity, now: number): CitizenRecord => {
    const clean = normalizeStoredIdentity(identity);
    const prev = citizens.get(clean.idNumber);
    const rec: CitizenRecord = { identity: clean, createdAt: prev?.createdAt ?? now, updatedAt: now };
    citizens.set(clean.idNumber, rec);
    change(clean.idNumber, 'upsert', now);
    return rec;
  };

  const store: IdentityStore = {
    async get(idNumber) {
      open();
      const r = citizens.get(idNumber);
      return r ? clone(r) : undefined;
    },
    async findByOldIdNumber(oldIdNumber) {
      open();
      return [...citizens.values()].filter((r) => r.identity.oldIdNumber === oldIdNumber).map(clone);
    },
    async upsert(identity) {
      open();
      return clone(put(identity, clock.now()));
    },
    async upsertMany(identities) {
      open();
      const clean = identities.map((i) => normalizeStoredIdentity(i));
      const now = clock.now();
      for (const c of clean) put(c, now);
      logger.debug('identity store bulk upsert', { count: clean.length });
      return { written: clean.length };
    },
    async erase(idNumber) {
      open();
      const existed = citizens.delete(idNumber);
      for (const [id, t] of templates) if (t.idNumber === idNumber) templates.delete(id);
      for (const [id, c] of consents) if (c.idNumber === idNumber) consents.delete(id);
      index?.removeOwner(idNumber);
      if (existed) change(idNumber, 'erase', clock.now());
      return existed;
    },
    async listChanges(opts = {}) {
      open();
      const after = opts.afterSeq ?? 0;
      const since = opts.since ?? Number.NEGATIVE_INFINITY;
      return changes
        .filter((c) => c.seq > after && c.at >= since)
        .slice(0, opts.limit ?? 1000)
        .map(clone);
    },
    async enrolTemplate(idNumber, template) {
      open();
      checkTemplateInput(template, 'core', options.faceDimension);
      const c = needCipher();
      if (!citizens.has(idNumber)) throw new SmartCitizenError('store/not-found', 'no citizen with that ID number');
      const id = globalThis.crypto.randomUUID();
      const sealed = await c.seal(template.data, templateAad(id, idNumber, template.kind));
      if (!citizens.has(idNumber)) throw new SmartCitizenError('store/not-found', 'no citizen with that ID number');
      const now = clock.now();
      const t: StoredTemplate = {
        id,
        idNumber,
        kind: template.kind,
        format: template.format,
        label: template.label ?? null,
        createdAt: now,
        keyId: sealed.keyId,
        sealed,
      };
      templates.set(id, t);
      if (template.kind === 'face' && index) {
        const v = decodeEmbedding(template.data);
        if (v.length === index.dimension) index.add(id, idNumber, v);
        else index = undefined;
      }
      change(idNumber, 'template-enrol', now);
      return info(t);
    },
    async enrolTemplates(items) {
      open();
      for (const it of items) checkTemplateInput(it.template, 'core', options.faceDimension);
      const c = needCipher();
      for (const it of items) {
        if (!citizens.has(it.idNumber))
          throw new SmartCitizenError('store/not-found', 'no citizen with that ID number');
      }
      const sealed = await Promise.all(
        items.map(async (it) => {
          const id = globalThis.crypto.randomUUID();
          return { id, it, sealed: await c.seal(it.template.data, templateAad(id, it.idNumber, it.template.kind)) };
        }),
      );
      for (const it of items) {
        if (!citizens.has(it.idNumber))
          throw new SmartCitizenError('store/not-found', 'no citizen with that ID number');
      }
      const now = clock.now();
      return sealed.map(({ id, it, sealed: blob }) => {
        const t: StoredTemplate = {
          id,
          idNumber: it.idNumber,
          kind: it.template.kind,
          format: it.template.format,
          label: it.template.label ?? null,
          createdAt: now,
          keyId: blob.keyId,
          sealed: blob,
        };
        templates.set(id, t);
        if (it.template.kind === 'face') index = undefined;
        change(it.idNumber, 'template-enrol', now);
        return info(t);
      });
    },
    async getTemplates(idNumber, kind?: TemplateKind) {
      open();
      const found = [...templates.values()].filter((t) => t.idNumber === idNumber && (!kind || t.kind === kind));
      if (found.length === 0) return [];
      const c = needCipher();
      const out: BiometricTemplate[] = [];
      for (const t of found.sort((a, b) => a.createdAt - b.createdAt)) {
        out.push({ ...info(t), data: await c.open(t.sealed, templateAad(t.id, t.idNumber, t.kind)) });
      }
      return out;
    },
    async deleteTemplate(templateId) {
      open();
      const t = templates.get(templateId);
      if (!t) return false;
      templates.delete(templateId);
      index?.remove(templateId);
      change(t.idNumber, 'template-delete', clock.now());
      return true;
    },
    async recordConsent(input) {
      open();
      const now = clock.now();
      const rec = newConsentRecord(input, now);
      consents.set(rec.id, rec);
      change(rec.idNumber, 'consent', now);
      return clone(rec);
    },
    async withdrawConsent(consentId, at) {
      open();
      const rec = consents.get(consentId);
      if (!rec) return undefined;
      if (rec.withdrawnAt === null) {
        rec.withdrawnAt = at ?? clock.now();
        change(rec.idNumber, 'consent', clock.now());
      }
      return clone(rec);
    },
    async listConsents(idNumber) {
      open();
      return [...consents.values()]
        .filter((c) => c.idNumber === idNumber)
        .sort((a, b) => a.grantedAt - b.grantedAt)
        .map(clone);
    },
    async searchFaces(embedding, opts = {}) {
      open();
      if (!index || index.dimension !== embedding.length) {
        const c = needCipher();
        index = new FaceScanIndex(embedding.length, Math.max(16, templates.size));
        for (const t of templates.values()) {
          if (t.kind !== 'face') continue;
          index.add(t.id, t.idNumber, decodeEmbedding(await c.open(t.sealed, templateAad(t.id, t.idNumber, t.kind))));
        }
      }
      return index.search(embedding, opts);
    },
    async rotateKeys() {
      open();
      const c = needCipher();
      const current = await c.currentKeyId();
      let n = 0;
      for (const t of templates.values()) {
        if (t.keyId === current) continue;
        const aad = templateAad(t.id, t.idNumber, t.kind);
        t.sealed = await c.seal(await c.open(t.sealed, aad), aad);
        t.keyId = t.sealed.keyId;
        n++;
      }
      logger.info('identity store keys rotated', { reencrypted: n });
      return { reencrypted: n };
    },
    async count() {
      open();
      return citizens.size;
    },
    async close() {
      closed = true;
    },
  };
  return store;
}
