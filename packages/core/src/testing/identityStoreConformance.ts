import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '../errors/index.js';
import type { Clock } from '../ports/index.js';
import { createManualClock } from '../ports/index.js';
import type { StaticKeyProvider } from '../privacy/KeyProvider.js';
import { createStaticKeyProvider } from '../privacy/KeyProvider.js';
import { isConsentActive } from '../privacy/consent.js';
import type { IdentityStore, StoredIdentity } from '../store/IdentityStore.js';
import type { TemplateIndexFactory } from '../store/TemplateIndex.js';
import type { IdentityStoreOptions } from '../store/createIdentityStore.js';
import { encodeEmbedding } from '../store/validateRecord.js';
import { closeAfterEach } from './closeAfterEach.js';

/** What the conformance suite gives an adapter factory. */
export interface IdentityStoreConformanceContext {
  /** Key provider to encrypt templates with, or `undefined` to open a store without keys. */
  keys: StaticKeyProvider | undefined;
  /** Manual clock the store must use. */
  clock: Clock;
  /** Dimension of the face embeddings the suite enrols. */
  faceDimension: number;
  /** In-process indexes the store must be opened with (`IdentityStoreOptions.indexes`). */
  indexes: NonNullable<IdentityStoreOptions['indexes']>;
}

/** What an adapter factory returns: the store and optional hooks into its storage. */
export interface IdentityStoreConformanceTarget {
  store: IdentityStore;
  /** Raw stored bytes of a template as they sit in the backend (to check encryption at rest). */
  rawTemplateBytes?: (templateId: string) => Promise<Uint8Array | undefined>;
  /** Called after the store is closed (drop schemas, delete files). */
  cleanup?: () => Promise<void>;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected error ${code}`).toBeDefined();
  expect(isSmartCitizenError(caught) ? caught.code : String(caught)).toBe(code);
}

/** Made-up citizens used by the suite. */
export const conformanceCitizens: readonly StoredIdentity[] = [
  {
    idNumber: '001099012345',
    oldIdNumber: '012345678',
    fullName: 'Nguyễn Văn Thử',
    dateOfBirth: { year: 1999, month: 3, day: 7 },
    sex: 'M',
    nationality: 'Việt Nam',
    placeOfResidence: 'Số 1 Phố Thử, Phường Ba Đình, Hà Nội',
    cardType: 'cccd-chip-2021',
  },
  {
    idNumber: '079185000111',
    oldIdNumber: '012345678',
    fullName: 'Trần Thị Mẫu',
    dateOfBirth: { year: 1985 },
    sex: 'F',
    cardType: 'can-cuoc-2024',
  },
  { idNumber: '048203004567', fullName: 'Lê Hoàng Ví Dụ', dateOfBirth: { year: 2003, month: 12 }, sex: 'M' },
];

function unitVector(dim: number, seed: number): Float32Array {
  // Deterministic pseudo-random vector (xorshift), so every adapter sees the same data.
  let s = (seed * 2654435761) >>> 0 || 1;
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    v[i] = (s / 0xffffffff) * 2 - 1;
  }
  return v;
}

/**
 * A toy 1:N index for `fingerprint` templates: score = share of equal bytes. It stands in for a
 * sensor package's matcher to prove that a kind's index is filled, followed and searched.
 */
const byteMatchIndex: TemplateIndexFactory<Uint8Array> = () => {
  const held = new Map<string, { owner: string; bytes: Uint8Array }>();
  return {
    fits: (probe) => probe instanceof Uint8Array,
    add: (id, owner, bytes) => held.set(id, { owner, bytes: bytes.slice() }),
    remove: (id) => held.delete(id),
    removeOwner: (owner) => {
      for (const [id, t] of held) if (t.owner === owner) held.delete(id);
    },
    search: (probe, { k, minScore }) =>
      [...held.entries()]
        .map(([templateId, t]) => {
          let same = 0;
          for (let i = 0; i < Math.min(probe.length, t.bytes.length); i++) if (probe[i] === t.bytes[i]) same++;
          return { idNumber: t.owner, templateId, score: same / Math.max(probe.length, t.bytes.length) };
        })
        .filter((h) => h.score >= (minScore ?? 0))
        .sort((x, y) => y.score - x.score)
        .slice(0, k),
  };
};

/**
 * The conformance suite every {@link IdentityStore} adapter must pass. Call it from a vitest
 * test file; it registers a `describe` block.
 * @param name - adapter name shown in the test report
 * @param factory - opens a fresh, empty store for each test
 * @example
 * describeIdentityStoreConformance('sqlite', async (ctx) => ({ store: createSqliteIdentityStore({ path: ':memory:', ...ctx }) }));
 */
export function describeIdentityStoreConformance(
  name: string,
  factory: (ctx: IdentityStoreConformanceContext) => Promise<IdentityStoreConformanceTarget>,
): void {
  const faceDimension = 16;
  describe(`IdentityStore conformance: ${name}`, () => {
    const track = closeAfterEach((t: IdentityStoreConformanceTarget) => t.store);
    const open = async (withKeys = true) => {
      const clock = createManualClock(1_700_000_000_000);
      const keys = withKeys
        ? createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(7) }] })
        : undefined;
      const target = track(await factory({ keys, clock, faceDimension, indexes: { fingerprint: byteMatchIndex } }));
      return { ...target, clock: clock as ReturnType<typeof createManualClock>, keys };
    };
    const [a, b, c] = conformanceCitizens as [StoredIdentity, StoredIdentity, StoredIdentity];

    it('stores and reads an identity, keeping Vietnamese text and partial dates', async () => {
      const { store, clock } = await open();
      expect(await store.get(a.idNumber)).toBeUndefined();
      const rec = await store.upsert(a);
      expect(rec.identity).toEqual(a);
      expect(rec.createdAt).toBe(clock.now());
      const got = await store.get(a.idNumber);
      expect(got?.identity).toEqual(a);
      expect(got?.identity.fullName).toBe('Nguyễn Văn Thử');
      await store.upsert(b);
      expect((await store.get(b.idNumber))?.identity.dateOfBirth).toEqual({ year: 1985 });
    });

    it('replaces the whole identity on upsert and keeps createdAt', async () => {
      const { store, clock } = await open();
      const first = await store.upsert(a);
      clock.advance(5000);
      const { placeOfResidence: _p, ...withoutAddress } = a;
      const second = await store.upsert({ ...withoutAddress, fullName: 'Nguyễn Văn Đổi' });
      expect(second.createdAt).toBe(first.createdAt);
      expect(second.updatedAt).toBe(first.createdAt + 5000);
      const got = await store.get(a.idNumber);
      expect(got?.identity.fullName).toBe('Nguyễn Văn Đổi');
      expect(got?.identity.placeOfResidence).toBeUndefined();
    });

    it('normalises text to NFC', async () => {
      const { store } = await open();
      await store.upsert({ idNumber: c.idNumber, fullName: 'Lê Hoàng Ví Dụ'.normalize('NFD') });
      expect((await store.get(c.idNumber))?.identity.fullName).toBe('Lê Hoàng Ví Dụ'.normalize('NFC'));
    });

    it('rejects malformed identities with a typed error and writes nothing', async () => {
      const { store } = await open();
      await expectCode(store.upsert({ idNumber: '12345' }), 'store/invalid-identity');
      await expectCode(store.upsert({ ...a, dateOfBirth: { year: 1999, month: 13 } }), 'store/invalid-identity');
      await expectCode(store.upsert({ ...a, sex: 'X' as 'M' }), 'store/invalid-identity');
      await expectCode(store.upsert({ ...a, oldIdNumber: '12ab' }), 'store/invalid-identity');
      expect(await store.get(a.idNumber)).toBeUndefined();
      expect(await store.listChanges()).toEqual([]);
    });

    it('finds citizens by old CMND number', async () => {
      const { store } = await open();
      await store.upsert(a);
      await store.upsert(b);
      await store.upsert(c);
      const found = await store.findByOldIdNumber('012345678');
      expect(found.map((r) => r.identity.idNumber).sort()).toEqual([a.idNumber, b.idNumber].sort());
      expect(await store.findByOldIdNumber('999999999')).toEqual([]);
    });

    it('bulk upsert writes all or nothing', async () => {
      const { store } = await open();
      if (!store.upsertMany) return;
      expect(await store.upsertMany([a, b])).toEqual({ written: 2 });
      await expectCode(store.upsertMany([c, { idNumber: 'bad' }]), 'store/invalid-identity');
      expect(await store.get(c.idNumber)).toBeUndefined();
      if (store.count) expect(await store.count()).toBe(2);
    });

    it('lists changes since a time and after a cursor', async () => {
      const { store, clock } = await open();
      const t0 = clock.now();
      await store.upsert(a);
      clock.advance(1000);
      await store.upsert(b);
      clock.advance(1000);
      await store.upsert(c);
      const all = await store.listChanges();
      expect(all.map((x) => [x.idNumber, x.op])).toEqual([
        [a.idNumber, 'upsert'],
        [b.idNumber, 'upsert'],
        [c.idNumber, 'upsert'],
      ]);
      expect(all.map((x) => x.at)).toEqual([t0, t0 + 1000, t0 + 2000]);
      const seqs = all.map((x) => x.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect((await store.listChanges({ since: t0 + 1000 })).map((x) => x.idNumber)).toEqual([b.idNumber, c.idNumber]);
      const page1 = await store.listChanges({ limit: 2 });
      expect(page1).toHaveLength(2);
      const page2 = await store.listChanges({ afterSeq: page1[1]?.seq ?? 0 });
      expect(page2.map((x) => x.idNumber)).toEqual([c.idNumber]);
    });

    it('encrypts templates at rest and decrypts them on read', async () => {
      const { store, rawTemplateBytes, clock } = await open();
      await store.upsert(a);
      const fp = new Uint8Array(300).map((_, i) => (i * 37) % 251);
      const info = await store.enrolTemplate(a.idNumber, {
        kind: 'fingerprint',
        format: 'iso-19794-2',
        data: fp,
        label: 'right-index',
      });
      expect(info).toMatchObject({
        idNumber: a.idNumber,
        kind: 'fingerprint',
        format: 'iso-19794-2',
        label: 'right-index',
        keyId: 'k1',
        createdAt: clock.now(),
      });
      const face = encodeEmbedding(unitVector(faceDimension, 1));
      await store.enrolTemplate(a.idNumber, { kind: 'face', format: 'f32', data: face });
      const all = await store.getTemplates(a.idNumber);
      expect(all).toHaveLength(2);
      const got = await store.getTemplates(a.idNumber, 'fingerprint');
      expect(got).toHaveLength(1);
      expect(got[0]?.data).toEqual(fp);
      expect((await store.getTemplates(a.idNumber, 'face'))[0]?.data).toEqual(face);
      expect(await store.getTemplates(b.idNumber)).toEqual([]);
      if (store.listTemplates) {
        // The same templates, oldest first, without their data.
        expect(await store.listTemplates(a.idNumber)).toEqual(all.map(({ data: _data, ...rest }) => rest));
        expect((await store.listTemplates(a.idNumber, 'face')).map((t) => t.kind)).toEqual(['face']);
        expect(await store.listTemplates(b.idNumber)).toEqual([]);
      }
      if (rawTemplateBytes) {
        const raw = await rawTemplateBytes(info.id);
        expect(raw).toBeDefined();
        const rawHex = Buffer.from(raw as Uint8Array).toString('hex');
        expect(rawHex.includes(Buffer.from(fp.subarray(0, 32)).toString('hex'))).toBe(false);
        expect((raw as Uint8Array).length).toBe(fp.length + 16);
      }
    });

    it('refuses bad templates, unknown citizens, and biometric data without keys', async () => {
      const { store } = await open();
      await store.upsert(a);
      await expectCode(
        store.enrolTemplate('079999999999', { kind: 'fingerprint', format: 'iso-19794-2', data: new Uint8Array(8) }),
        'store/not-found',
      );
      await expectCode(
        store.enrolTemplate(a.idNumber, { kind: 'face', format: 'f32', data: new Uint8Array(faceDimension * 4) }),
        'store/invalid-template',
      );
      await expectCode(
        store.enrolTemplate(a.idNumber, { kind: 'face', format: 'f32', data: new Uint8Array(7) }),
        'store/invalid-template',
      );
      await expectCode(
        store.enrolTemplate(a.idNumber, { kind: 'nose' as 'face', format: 'f32', data: new Uint8Array(8) }),
        'store/invalid-template',
      );
      expect(await store.getTemplates(a.idNumber)).toEqual([]);
      const noKeys = await open(false);
      await noKeys.store.upsert(a);
      await expectCode(
        noKeys.store.enrolTemplate(a.idNumber, { kind: 'fingerprint', format: 'iso-19794-2', data: new Uint8Array(8) }),
        'store/encryption-required',
      );
    });

    it('enrols many templates at once, all or nothing', async () => {
      const { store } = await open();
      if (!store.enrolTemplates) return;
      await store.upsert(a);
      await store.upsert(b);
      const infos = await store.enrolTemplates([
        {
          idNumber: a.idNumber,
          template: { kind: 'face', format: 'f32', data: encodeEmbedding(unitVector(faceDimension, 41)) },
        },
        {
          idNumber: b.idNumber,
          template: { kind: 'face', format: 'f32', data: encodeEmbedding(unitVector(faceDimension, 42)) },
        },
        { idNumber: b.idNumber, template: { kind: 'fingerprint', format: 'x', data: new Uint8Array([4, 5, 6]) } },
      ]);
      expect(infos.map((i) => i.idNumber)).toEqual([a.idNumber, b.idNumber, b.idNumber]);
      expect((await store.getTemplates(b.idNumber, 'fingerprint'))[0]?.data).toEqual(new Uint8Array([4, 5, 6]));
      if (store.searchFaces) {
        expect((await store.searchFaces(unitVector(faceDimension, 42), { k: 1 }))[0]?.idNumber).toBe(b.idNumber);
      }
      await expectCode(
        store.enrolTemplates([
          { idNumber: c.idNumber, template: { kind: 'fingerprint', format: 'x', data: new Uint8Array([1]) } },
          { idNumber: a.idNumber, template: { kind: 'fingerprint', format: 'x', data: new Uint8Array([1]) } },
        ]),
        'store/not-found',
      );
      expect(await store.getTemplates(a.idNumber, 'fingerprint')).toEqual([]);
    });

    it('deletes one template', async () => {
      const { store } = await open();
      await store.upsert(a);
      const t = await store.enrolTemplate(a.idNumber, { kind: 'fingerprint', format: 'x', data: new Uint8Array(9) });
      expect(await store.deleteTemplate(t.id)).toBe(true);
      expect(await store.deleteTemplate(t.id)).toBe(false);
      expect(await store.getTemplates(a.idNumber)).toEqual([]);
    });

    it('records, lists and withdraws consents', async () => {
      const { store, clock } = await open();
      await store.upsert(a);
      const granted = clock.now();
      const rec = await store.recordConsent({
        idNumber: a.idNumber,
        purpose: 'identification:desk',
        scope: ['face', 'fingerprint'],
        reference: 'form-42',
      });
      expect(rec).toMatchObject({ grantedAt: granted, withdrawnAt: null, expiresAt: null, reference: 'form-42' });
      expect(isConsentActive(rec, 'face', 'identification:desk', granted)).toBe(true);
      expect(isConsentActive(rec, 'face-search', 'identification:desk', granted)).toBe(false);
      expect(isConsentActive(rec, 'face', 'marketing', granted)).toBe(false);
      clock.advance(60_000);
      const withdrawn = await store.withdrawConsent(rec.id);
      expect(withdrawn?.withdrawnAt).toBe(granted + 60_000);
      const listed = await store.listConsents(a.idNumber);
      expect(listed).toHaveLength(1);
      expect(listed[0]?.scope).toEqual(['face', 'fingerprint']);
      expect(isConsentActive(listed[0] as never, 'face', 'identification:desk', clock.now())).toBe(false);
      expect(await store.withdrawConsent('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      await expectCode(
        store.recordConsent({ idNumber: a.idNumber, purpose: '', scope: ['face'] }),
        'store/invalid-consent',
      );
      await expectCode(
        store.recordConsent({ idNumber: a.idNumber, purpose: 'p', scope: ['everything' as 'face'] }),
        'store/invalid-consent',
      );
    });

    it('erases a citizen with their templates and consents (right to erasure)', async () => {
      const { store } = await open();
      await store.upsert(a);
      await store.upsert(b);
      await store.enrolTemplate(a.idNumber, { kind: 'fingerprint', format: 'x', data: new Uint8Array(10).fill(1) });
      await store.enrolTemplate(a.idNumber, {
        kind: 'face',
        format: 'f32',
        data: encodeEmbedding(unitVector(faceDimension, 5)),
      });
      await store.recordConsent({ idNumber: a.idNumber, purpose: 'p', scope: ['face'] });
      expect(await store.erase(a.idNumber)).toBe(true);
      expect(await store.erase(a.idNumber)).toBe(false);
      expect(await store.get(a.idNumber)).toBeUndefined();
      expect(await store.getTemplates(a.idNumber)).toEqual([]);
      expect(await store.listConsents(a.idNumber)).toEqual([]);
      expect(await store.findByOldIdNumber('012345678')).toHaveLength(1);
      const last = (await store.listChanges()).at(-1);
      expect(last).toMatchObject({ idNumber: a.idNumber, op: 'erase' });
      if (store.searchFaces) {
        const hits = await store.searchFaces(unitVector(faceDimension, 5), { k: 3 });
        expect(hits.map((h) => h.idNumber)).not.toContain(a.idNumber);
      }
    });

    it('searches faces 1:N by cosine similarity', async () => {
      const { store } = await open();
      if (!store.searchFaces) return;
      const people = conformanceCitizens;
      const ids: string[] = [];
      for (const [i, p] of people.entries()) {
        await store.upsert(p);
        const t = await store.enrolTemplate(p.idNumber, {
          kind: 'face',
          format: 'f32',
          data: encodeEmbedding(unitVector(faceDimension, 100 + i)),
        });
        ids.push(t.id);
      }
      // A second capture of citizen b, and a fingerprint that must not be searched.
      await store.enrolTemplate(b.idNumber, { kind: 'fingerprint', format: 'x', data: new Uint8Array(64).fill(3) });
      const probe = unitVector(faceDimension, 101).map((x, i) => x + (i % 2 ? 0.05 : -0.05));
      const hits = await store.searchFaces(probe, { k: 2 });
      expect(hits).toHaveLength(2);
      expect(hits[0]?.idNumber).toBe(b.idNumber);
      expect(hits[0]?.templateId).toBe(ids[1]);
      expect(hits[0]?.similarity).toBeGreaterThan(0.95);
      expect(hits[0]?.similarity).toBeLessThanOrEqual(1);
      expect((hits[0]?.similarity ?? 0) >= (hits[1]?.similarity ?? 0)).toBe(true);
      const strict = await store.searchFaces(probe, { k: 5, minSimilarity: 0.9 });
      expect(strict.map((h) => h.idNumber)).toEqual([b.idNumber]);
      await store.deleteTemplate(ids[1] as string);
      const after = await store.searchFaces(probe, { k: 5, minSimilarity: 0.9 });
      expect(after).toEqual([]);
      // Enrolled after the first search: must be found too.
      await store.enrolTemplate(c.idNumber, {
        kind: 'face',
        format: 'f32',
        data: encodeEmbedding(unitVector(faceDimension, 777)),
      });
      const late = await store.searchFaces(unitVector(faceDimension, 777), { k: 1 });
      expect(late[0]?.idNumber).toBe(c.idNumber);
      expect(late[0]?.similarity).toBeCloseTo(1, 5);
    });

    it('scans every face template a keyset page at a time, decrypted, in enrolment order', async () => {
      const { store } = await open();
      if (!store.scanFaces) return;
      const enrolled: { idNumber: string; templateId: string; embedding: Float32Array }[] = [];
      for (const p of conformanceCitizens) await store.upsert(p);
      for (let i = 0; i < 7; i++) {
        const p = conformanceCitizens[i % conformanceCitizens.length] as StoredIdentity;
        const embedding = unitVector(faceDimension, 300 + i);
        const t = await store.enrolTemplate(p.idNumber, {
          kind: 'face',
          format: 'f32',
          data: encodeEmbedding(embedding),
        });
        enrolled.push({ idNumber: p.idNumber, templateId: t.id, embedding });
        // Other kinds are not scanned.
        if (i === 2)
          await store.enrolTemplate(p.idNumber, { kind: 'fingerprint', format: 'x', data: new Uint8Array(8) });
      }
      await store.deleteTemplate(enrolled[4]?.templateId as string);
      const expected = enrolled.filter((_, i) => i !== 4);
      const seen: typeof enrolled = [];
      const pages: number[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.scanFaces({ ...(after !== undefined ? { after } : {}), limit: 2 });
        pages.push(page.items.length);
        seen.push(...page.items);
        if (page.next === undefined) break;
        after = page.next;
      }
      expect(seen.map((x) => x.templateId)).toEqual(expected.map((x) => x.templateId));
      expect(seen.map((x) => x.idNumber)).toEqual(expected.map((x) => x.idNumber));
      for (const [i, x] of seen.entries()) expect([...x.embedding]).toEqual([...(expected[i]?.embedding ?? [])]);
      expect(pages.every((n) => n <= 2)).toBe(true);
      await expect(store.scanFaces({ after: 'not a cursor' })).rejects.toMatchObject({ code: 'store/invalid-options' });
      await expect(store.scanFaces({ limit: 0 })).rejects.toMatchObject({ code: 'store/invalid-options' });
    });

    it('searches another kind 1:N through the index registered for it', async () => {
      const { store } = await open();
      if (!store.searchTemplates) return;
      await store.upsert(a);
      await store.upsert(b);
      const print = (seed: number) => new Uint8Array(48).map((_, i) => (i * seed + seed) % 251);
      const ta = await store.enrolTemplate(a.idNumber, { kind: 'fingerprint', format: 'x', data: print(3) });
      await store.enrolTemplate(b.idNumber, { kind: 'fingerprint', format: 'x', data: print(7) });
      const first = await store.searchTemplates('fingerprint', print(7), { k: 2 });
      expect(first.map((h) => h.idNumber)).toEqual([b.idNumber, a.idNumber]);
      expect(first[0]?.score).toBe(1);
      // Followed after the first search: an enrolment, a deletion and an erasure.
      await store.upsert(c);
      await store.enrolTemplate(c.idNumber, { kind: 'fingerprint', format: 'x', data: print(11) });
      expect((await store.searchTemplates('fingerprint', print(11), { k: 1 }))[0]?.idNumber).toBe(c.idNumber);
      await store.deleteTemplate(ta.id);
      await store.erase(b.idNumber);
      const left = await store.searchTemplates('fingerprint', print(7), { k: 5, minScore: 0.5 });
      expect(left).toEqual([]);
      expect((await store.searchTemplates('fingerprint', print(11), { k: 5 })).map((h) => h.idNumber)).toEqual([
        c.idNumber,
      ]);
      // Face goes through the face index; a kind without an index is a typed error.
      await store.enrolTemplate(c.idNumber, {
        kind: 'face',
        format: 'f32',
        data: encodeEmbedding(unitVector(faceDimension, 31)),
      });
      const face = await store.searchTemplates('face', unitVector(faceDimension, 31), { k: 1 });
      expect(face[0]?.idNumber).toBe(c.idNumber);
      expect(face[0]?.score).toBeCloseTo(1, 5);
      await expectCode(store.searchTemplates('face-image', new Uint8Array(4)), 'store/no-index');
    });

    it('rotates keys: re-encrypts every template under the new key', async () => {
      const { store, keys } = await open();
      if (!store.rotateKeys || !keys) return;
      await store.upsert(a);
      const data = new Uint8Array(40).map((_, i) => i);
      await store.enrolTemplate(a.idNumber, { kind: 'fingerprint', format: 'x', data });
      await store.enrolTemplate(a.idNumber, {
        kind: 'face',
        format: 'f32',
        data: encodeEmbedding(unitVector(faceDimension, 9)),
      });
      keys.addKey({ id: 'k2', key: new Uint8Array(32).fill(9) });
      expect(await store.rotateKeys()).toEqual({ reencrypted: 2 });
      expect(await store.rotateKeys()).toEqual({ reencrypted: 0 });
      keys.retireKey('k1');
      const got = await store.getTemplates(a.idNumber);
      expect(got.map((t) => t.keyId)).toEqual(['k2', 'k2']);
      expect(got.find((t) => t.kind === 'fingerprint')?.data).toEqual(data);
    });

    it('fails closed on templates sealed under a key that is no longer held', async () => {
      const { store, keys } = await open();
      if (!keys) return;
      await store.upsert(a);
      await store.enrolTemplate(a.idNumber, { kind: 'fingerprint', format: 'x', data: new Uint8Array(12).fill(5) });
      keys.addKey({ id: 'k3', key: new Uint8Array(32).fill(3) });
      keys.retireKey('k1');
      await expectCode(store.getTemplates(a.idNumber), 'privacy/unknown-key');
    });
  });
}
