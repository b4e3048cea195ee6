import { createExclusiveLock } from '../ports/index.js';
import type { ConsentRecord } from '../privacy/consent.js';
import type { ChangeEntry, CitizenRecord } from './IdentityStore.js';
import type { IdentityStoreDriver, IdentityStoreTransaction, SealedTemplateRow } from './IdentityStoreDriver.js';
import type { FullIdentityStore, IdentityStoreOptions } from './createIdentityStore.js';
import { createIdentityStore } from './createIdentityStore.js';

/** Options of {@link createMemoryIdentityStore}. */
export type MemoryIdentityStoreOptions = IdentityStoreOptions;

const clone = <T>(v: T): T => structuredClone(v);

/**
 * The in-memory driver: rows in maps, one transaction at a time, rolled back from an undo list
 * when it fails. Lost on exit.
 * @returns an {@link IdentityStoreDriver} for {@link createIdentityStore}
 */
export function createMemoryIdentityDriver(): IdentityStoreDriver {
  const citizens = new Map<string, CitizenRecord>();
  // `pos` = insertion order: the cursor of scanTemplates and the tie-break of listTemplates.
  const templates = new Map<string, SealedTemplateRow & { pos: number }>();
  const consents = new Map<string, ConsentRecord>();
  const changes: ChangeEntry[] = [];
  let lastPos = 0;
  const lock = createExclusiveLock();
  const read = async <T>(fn: () => T): Promise<T> => {
    if (lock.busy) await lock.idle();
    return fn();
  };
  // Secondary indexes, so per-citizen reads and the template scan do not walk every row (the
  // dedupe job makes one of each per template: quadratic at 100,000 accounts otherwise).
  const templatesOf = new Map<string, Set<string>>();
  const consentsOf = new Map<string, Set<string>>();
  const templateAt: (string | undefined)[] = []; // pos → template id
  const link = (index: Map<string, Set<string>>, owner: string, id: string) => {
    const ids = index.get(owner);
    if (ids) ids.add(id);
    else index.set(owner, new Set([id]));
  };
  const unlink = (index: Map<string, Set<string>>, owner: string, id: string) => {
    const ids = index.get(owner);
    ids?.delete(id);
    if (ids?.size === 0) index.delete(owner);
  };
  const putTemplate = (row: SealedTemplateRow & { pos: number }) => {
    templates.set(row.id, row);
    link(templatesOf, row.idNumber, row.id);
    templateAt[row.pos] = row.id;
  };
  const dropTemplate = (row: SealedTemplateRow & { pos: number }) => {
    templates.delete(row.id);
    unlink(templatesOf, row.idNumber, row.id);
    templateAt[row.pos] = undefined;
  };
  const putConsent = (record: ConsentRecord) => {
    consents.set(record.id, record);
    link(consentsOf, record.idNumber, record.id);
  };
  const dropConsent = (record: ConsentRecord) => {
    consents.delete(record.id);
    unlink(consentsOf, record.idNumber, record.id);
  };
  const ofOwner = <T>(m: Map<string, T>, index: Map<string, Set<string>>, idNumber: string): T[] =>
    [...(index.get(idNumber) ?? [])].map((id) => m.get(id) as T);
  const rowOut = ({ pos: _pos, ...row }: SealedTemplateRow & { pos: number }): SealedTemplateRow => clone(row);

  const transactionOf = (undo: (() => void)[]): IdentityStoreTransaction => ({
    async getCitizen(idNumber) {
      const r = citizens.get(idNumber);
      return r ? clone(r) : undefined;
    },
    async putCitizens(identities, now) {
      for (const identity of identities) {
        const prev = citizens.get(identity.idNumber);
        citizens.set(identity.idNumber, {
          identity: clone(identity),
          createdAt: prev?.createdAt ?? now,
          updatedAt: now,
        });
        undo.push(() => (prev ? citizens.set(identity.idNumber, prev) : citizens.delete(identity.idNumber)));
      }
    },
    async deleteCitizen(idNumber) {
      const prev = citizens.get(idNumber);
      const goneTemplates = ofOwner(templates, templatesOf, idNumber);
      const goneConsents = ofOwner(consents, consentsOf, idNumber);
      citizens.delete(idNumber);
      for (const t of goneTemplates) dropTemplate(t);
      for (const c of goneConsents) dropConsent(c);
      undo.push(() => {
        if (prev) citizens.set(idNumber, prev);
        for (const t of goneTemplates) putTemplate(t);
        for (const c of goneConsents) putConsent(c);
      });
      return prev !== undefined;
    },
    async missingCitizens(idNumbers) {
      return idNumbers.filter((id) => !citizens.has(id));
    },
    async insertTemplates(rows) {
      for (const row of rows) {
        const stored = { ...clone(row), pos: ++lastPos };
        const prev = templates.get(row.id);
        if (prev) dropTemplate(prev);
        putTemplate(stored);
        undo.push(() => {
          dropTemplate(stored);
          if (prev) putTemplate(prev);
        });
      }
    },
    async deleteTemplate(templateId) {
      const t = templates.get(templateId);
      if (!t) return undefined;
      dropTemplate(t);
      undo.push(() => putTemplate(t));
      return t.idNumber;
    },
    async resealTemplate(templateId, fromKeyId, sealed) {
      const t = templates.get(templateId);
      if (!t || t.keyId !== fromKeyId) return false;
      putTemplate({ ...t, ...clone(sealed) });
      undo.push(() => putTemplate(t));
      return true;
    },
    async insertConsent(record) {
      const stored = clone(record);
      const prev = consents.get(record.id);
      putConsent(stored);
      undo.push(() => {
        dropConsent(stored);
        if (prev) putConsent(prev);
      });
    },
    async withdrawConsent(consentId, at) {
      const rec = consents.get(consentId);
      if (!rec) return undefined;
      const changed = rec.withdrawnAt === null;
      if (changed) {
        putConsent({ ...rec, withdrawnAt: at });
        undo.push(() => putConsent(rec));
      }
      return { record: clone(consents.get(consentId) as ConsentRecord), changed };
    },
    async appendChanges(entries) {
      return entries.map((e) => {
        changes.push({ seq: changes.length + 1, idNumber: e.idNumber, op: e.op, at: e.at });
        undo.push(() => changes.pop());
        return changes.length;
      });
    },
  });

  return {
    name: 'memory',
    pkg: 'core',
    getCitizen: (idNumber) => read(() => clone(citizens.get(idNumber))),
    findByOldIdNumber: (oldIdNumber) =>
      read(() =>
        [...citizens.values()]
          .filter((r) => r.identity.oldIdNumber === oldIdNumber)
          .sort((a, b) => (a.identity.idNumber < b.identity.idNumber ? -1 : 1))
          .map(clone),
      ),
    countCitizens: () => read(() => citizens.size),
    listChanges: ({ afterSeq, since, limit }) =>
      read(() =>
        changes
          .filter((c) => c.seq > afterSeq && c.at >= since)
          .slice(0, limit)
          .map(clone),
      ),
    headSeq: () => read(() => changes.length),
    listTemplates: (idNumber, kind) =>
      read(() =>
        ofOwner(templates, templatesOf, idNumber)
          .filter((t) => kind === undefined || t.kind === kind)
          .sort((a, b) => a.createdAt - b.createdAt || a.pos - b.pos)
          .map(rowOut),
      ),
    scanTemplates: ({ kind, notKeyId, after, limit }) =>
      read(() => {
        const rows: (SealedTemplateRow & { pos: number })[] = [];
        for (let pos = Math.max(0, after + 1); pos < templateAt.length && rows.length < limit; pos++) {
          const id = templateAt[pos];
          const t = id === undefined ? undefined : templates.get(id);
          if (t && (kind === undefined || t.kind === kind) && (notKeyId === undefined || t.keyId !== notKeyId))
            rows.push(t);
        }
        return { rows: rows.map(rowOut), next: rows[rows.length - 1]?.pos ?? after };
      }),
    listConsents: (idNumber) =>
      read(() =>
        ofOwner(consents, consentsOf, idNumber)
          .sort((a, b) => a.grantedAt - b.grantedAt)
          .map(clone),
      ),
    transaction: (fn) =>
      lock.run(async () => {
        const undo: (() => void)[] = [];
        try {
          return await fn(transactionOf(undo));
        } catch (err) {
          for (const step of undo.reverse()) step();
          throw err;
        }
      }),
    async close() {
      citizens.clear();
      templates.clear();
      consents.clear();
      templatesOf.clear();
      consentsOf.clear();
      templateAt.length = 0;
    },
  };
}

/**
 * The in-memory identity store: tests, demos and kiosks that load a small roster. Templates are
 * kept encrypted like in the persistent adapters; 1:N face search is an exact scan.
 * @param options - keys, clock, logger
 * @returns an {@link IdentityStore} with every optional capability
 */
export function createMemoryIdentityStore(options: MemoryIdentityStoreOptions = {}): FullIdentityStore {
  return createIdentityStore({ ...options, driver: createMemoryIdentityDriver() });
}
