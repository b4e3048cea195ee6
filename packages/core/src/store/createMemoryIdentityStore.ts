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
  const rowOut = ({ pos: _pos, ...row }: SealedTemplateRow & { pos: number }): SealedTemplateRow => clone(row);
  const ofOwner = <T extends { idNumber: string }>(m: Map<string, T>, idNumber: string) =>
    [...m.entries()].filter(([, v]) => v.idNumber === idNumber);

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
      const gone = [...ofOwner(templates, idNumber), ...ofOwner(consents, idNumber)];
      citizens.delete(idNumber);
      for (const [id] of gone) {
        templates.delete(id);
        consents.delete(id);
      }
      undo.push(() => {
        if (prev) citizens.set(idNumber, prev);
        for (const [id, v] of gone) {
          if ('ciphertext' in v) templates.set(id, v);
          else consents.set(id, v);
        }
      });
      return prev !== undefined;
    },
    async missingCitizens(idNumbers) {
      return idNumbers.filter((id) => !citizens.has(id));
    },
    async insertTemplates(rows) {
      for (const row of rows) {
        templates.set(row.id, { ...clone(row), pos: ++lastPos });
        undo.push(() => templates.delete(row.id));
      }
    },
    async deleteTemplate(templateId) {
      const t = templates.get(templateId);
      if (!t) return undefined;
      templates.delete(templateId);
      undo.push(() => templates.set(templateId, t));
      return t.idNumber;
    },
    async resealTemplate(templateId, fromKeyId, sealed) {
      const t = templates.get(templateId);
      if (!t || t.keyId !== fromKeyId) return false;
      templates.set(templateId, { ...t, ...clone(sealed) });
      undo.push(() => templates.set(templateId, t));
      return true;
    },
    async insertConsent(record) {
      consents.set(record.id, clone(record));
      undo.push(() => consents.delete(record.id));
    },
    async withdrawConsent(consentId, at) {
      const rec = consents.get(consentId);
      if (!rec) return undefined;
      const changed = rec.withdrawnAt === null;
      if (changed) {
        consents.set(consentId, { ...rec, withdrawnAt: at });
        undo.push(() => consents.set(consentId, rec));
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
        [...templates.values()]
          .filter((t) => t.idNumber === idNumber && (kind === undefined || t.kind === kind))
          .sort((a, b) => a.createdAt - b.createdAt || a.pos - b.pos)
          .map(rowOut),
      ),
    scanTemplates: ({ kind, notKeyId, after, limit }) =>
      read(() => {
        const rows = [...templates.values()]
          .filter(
            (t) =>
              t.pos > after &&
              (kind === undefined || t.kind === kind) &&
              (notKeyId === undefined || t.keyId !== notKeyId),
          )
          .sort((a, b) => a.pos - b.pos)
          .slice(0, limit);
        return { rows: rows.map(rowOut), next: rows[rows.length - 1]?.pos ?? after };
      }),
    listConsents: (idNumber) =>
      read(() =>
        [...consents.values()]
          .filter((c) => c.idNumber === idNumber)
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
