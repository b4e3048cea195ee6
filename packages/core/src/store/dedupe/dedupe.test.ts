import { describe, expect, it } from 'vitest';
import { createRng } from '../../ports/random.js';
import { createMemoryAuditLog } from '../../privacy/index.js';
import { createStaticKeyProvider } from '../../privacy/KeyProvider.js';
import { createMemoryIdentityStore } from '../createMemoryIdentityStore.js';
import { decodeEmbedding, encodeEmbedding } from '../embedding.js';
import { cosineTemplateIndex } from '../TemplateIndex.js';
import type { FullIdentityStore } from '../createIdentityStore.js';
import type { DedupeCheckpoint, DedupeCheckpointStore } from './dedupeFaces.js';
import { DEDUPE_PURPOSE, dedupeFaces } from './dedupeFaces.js';
import { recordDedupeDecision } from './decision.js';
import { dedupeReportCsv, dedupeReportHtml } from './report.js';
import { UnionFind } from './unionFind.js';

const DIM = 64;
const idOf = (i: number) => `0012${String(i).padStart(8, '0')}`;
const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(7) }] });

function unit(rng: () => number): Float32Array {
  const v = new Float32Array(DIM);
  for (let k = 0; k < DIM; k++) v[k] = rng() * 2 - 1;
  return v;
}
function near(base: Float32Array, rng: () => number, noise: number): Float32Array {
  return base.map((x) => x + noise * (rng() * 2 - 1));
}

interface World {
  store: FullIdentityStore;
  /** account → person */
  person: Map<string, number>;
}

/** 40 people; persons 0–4 hold two or three accounts each; account 7 has no consent; 8 has no face. */
async function world(): Promise<World> {
  const rng = createRng(42).next;
  const store = createMemoryIdentityStore({ keys });
  const person = new Map<string, number>();
  let n = 0;
  for (let p = 0; p < 40; p++) {
    const base = unit(rng);
    const copies = p < 3 ? 2 : p < 5 ? 3 : 1;
    for (let c = 0; c < copies; c++) {
      const id = idOf(n++);
      person.set(id, p);
      await store.upsert({ idNumber: id, fullName: `Person ${n}` });
      if (id !== idOf(8))
        await store.enrolTemplate(id, { kind: 'face', format: 'f32', data: encodeEmbedding(near(base, rng, 0.15)) });
      if (id !== idOf(7))
        await store.recordConsent({ idNumber: id, purpose: DEDUPE_PURPOSE, scope: ['face', 'face-search'] });
    }
  }
  return { store, person };
}

const memoryCheckpoint = (): DedupeCheckpointStore & { value?: DedupeCheckpoint } => {
  const cp: DedupeCheckpointStore & { value?: DedupeCheckpoint } = {
    load: async () => (cp.value ? (JSON.parse(JSON.stringify(cp.value)) as DedupeCheckpoint) : undefined),
    save: async (v) => {
      cp.value = JSON.parse(JSON.stringify(v)) as DedupeCheckpoint;
    },
  };
  return cp;
};

describe('UnionFind', () => {
  it('joins transitively and lists only groups', () => {
    const uf = new UnionFind();
    uf.union('c', 'd');
    uf.union('a', 'b');
    uf.union('b', 'c');
    uf.find('z');
    expect(uf.groups()).toEqual([['a', 'b', 'c', 'd']]);
  });
});

describe('dedupeFaces', () => {
  it('finds every planted duplicate group and no wrong cluster', async () => {
    const { store, person } = await world();
    const r = await dedupeFaces(store, { threshold: 0.8, pageSize: 7 });
    expect(r.status).toBe('complete');
    if (r.status !== 'complete') return;
    const expected = new Map<number, string[]>();
    for (const [id, p] of person) {
      if (id === idOf(7) || id === idOf(8)) continue;
      expected.set(p, [...(expected.get(p) ?? []), id]);
    }
    const planted = [...expected.values()].filter((g) => g.length > 1).map((g) => g.sort());
    expect(r.clusters.map((c) => c.ids)).toEqual(planted);
    for (const c of r.clusters) {
      expect(c.minScore).toBeGreaterThanOrEqual(0.8);
      expect(c.maxScore).toBeGreaterThanOrEqual(c.minScore);
    }
    expect(r.stats.withoutConsent).toBe(1);
    expect(r.stats.withoutFace).toBe(1);
    expect(r.stats.accounts).toBe(person.size);
    await store.close();
  });

  it('reports accounts whose card data agree while their faces do not', async () => {
    const { store } = await world();
    const a = idOf(20);
    const b = idOf(30);
    await store.upsert({ idNumber: a, fullName: 'Nguyễn Văn An', dateOfBirth: { year: 1990, month: 3, day: 4 } });
    await store.upsert({ idNumber: b, fullName: 'NGUYEN VAN AN', dateOfBirth: { year: 1990, month: 3, day: 4 } });
    await store.upsert({ idNumber: idOf(21), fullName: 'X', oldIdNumber: '012345678' });
    await store.upsert({ idNumber: idOf(22), fullName: 'Y', oldIdNumber: '012345678' });
    const r = await dedupeFaces(store, { threshold: 0.8 });
    if (r.status !== 'complete') throw new Error(r.status);
    expect(r.conflicts.map((c) => [c.ids, c.reason])).toEqual([
      [[a, b], 'same-name-and-birth-date'],
      [[idOf(21), idOf(22)], 'same-old-id-number'],
    ]);
    for (const c of r.conflicts) expect(c.faceScore).toBeLessThan(0.8);
    await store.close();
  });

  it('saves its checkpoint at most every checkpointEveryMs, and when it stops or ends', async () => {
    const { store } = await world();
    let now = Date.now();
    const clock = { now: () => now };
    const saves: (string | undefined)[] = [];
    const cp = memoryCheckpoint();
    const counting: DedupeCheckpointStore = {
      load: cp.load,
      save: async (v) => {
        saves.push(v.cursor);
        await cp.save(v);
      },
    };
    const ac = new AbortController();
    let pages = 0;
    const first = await dedupeFaces(store, {
      threshold: 0.8,
      pageSize: 5,
      checkpoint: counting,
      clock,
      signal: ac.signal,
      onProgress: () => {
        pages++;
        if (pages === 2) now += 10_000; // the save after page 3 is due
        if (pages === 5) ac.abort();
      },
    });
    expect(first.status).toBe('stopped');
    // Page 3 (time passed) and the stop after page 5; not pages 1, 2, 4.
    expect(saves).toHaveLength(2);
    expect(cp.value?.cursor).toBe(first.status === 'stopped' ? first.cursor : 'x');
    saves.length = 0;
    const rest = await dedupeFaces(store, { threshold: 0.8, pageSize: 5, checkpoint: counting, clock });
    expect(rest.status).toBe('complete');
    expect(saves).toHaveLength(1);
    expect(cp.value?.done).toBe(true);
    await store.close();
  });

  it('an interrupted and resumed job gives the uninterrupted result, counting each account once', async () => {
    const { store } = await world();
    const whole = await dedupeFaces(store, { threshold: 0.8, pageSize: 5 });
    const cp = memoryCheckpoint();
    const ac = new AbortController();
    let pages = 0;
    const first = await dedupeFaces(store, {
      threshold: 0.8,
      pageSize: 5,
      checkpoint: cp,
      signal: ac.signal,
      onProgress: () => {
        if (++pages === 3) ac.abort();
      },
    });
    expect(first.status).toBe('stopped');
    // The checkpoint keeps the scan cursor, not the accounts done: no singleton account is in it.
    const saved = JSON.stringify(cp.value);
    expect(cp.value?.cursor).toBeDefined();
    expect(saved).not.toContain(idOf(39));
    expect(saved).not.toContain(idOf(12));
    // A crash after the checkpoint: the same page may be read again; nothing is double-counted.
    const resumed = await dedupeFaces(store, { threshold: 0.8, pageSize: 5, checkpoint: cp });
    expect(resumed.status).toBe('complete');
    if (resumed.status !== 'complete' || whole.status !== 'complete') return;
    expect(resumed.clusters).toEqual(whole.clusters);
    expect(resumed.conflicts).toEqual(whole.conflicts);
    expect({ ...resumed.stats, resumes: 0 }).toEqual(whole.stats);
    expect(resumed.stats.resumes).toBe(1);
    await expect(dedupeFaces(store, { threshold: 0.7, checkpoint: cp })).rejects.toMatchObject({
      code: 'dedupe/checkpoint-mismatch',
    });
    await store.close();
  });

  it('with a sign-code index, the batch search per page gives what one search per template gives', async () => {
    const { store: exactStore } = await world();
    const store = createMemoryIdentityStore({
      keys,
      indexes: { face: cosineTemplateIndex(decodeEmbedding, { bits: 64, candidates: 8 }) },
    });
    for (let i = 0; i < 47; i++) {
      const id = idOf(i);
      const record = await exactStore.get(id);
      if (!record) continue;
      await store.upsert(record.identity);
      for (const t of await exactStore.getTemplates(id, 'face'))
        await store.enrolTemplate(id, { kind: 'face', format: 'f32', data: t.data });
      for (const c of await exactStore.listConsents(id))
        await store.recordConsent({ idNumber: id, purpose: c.purpose, scope: c.scope });
    }
    const { searchFacesMany, ...onePerTemplate } = store;
    expect(searchFacesMany).toBeDefined();
    let batches = 0;
    const counted = {
      ...store,
      searchFacesMany: (...args: Parameters<typeof searchFacesMany>) => {
        batches++;
        return searchFacesMany(...args);
      },
    };
    const batched = await dedupeFaces(counted, { threshold: 0.8, pageSize: 10 });
    const single = await dedupeFaces(onePerTemplate, { threshold: 0.8, pageSize: 10 });
    expect(batches).toBeGreaterThan(3);
    expect(batched.status).toBe('complete');
    expect(batched).toEqual(single);
    // Stopped after two pages and resumed from its checkpoint: the same findings, each account once.
    const cp = memoryCheckpoint();
    const ac = new AbortController();
    let pages = 0;
    const stopped = await dedupeFaces(store, {
      threshold: 0.8,
      pageSize: 10,
      checkpoint: cp,
      signal: ac.signal,
      onProgress: () => {
        if (++pages === 2) ac.abort();
      },
    });
    expect(stopped.status).toBe('stopped');
    const resumed = await dedupeFaces(store, { threshold: 0.8, pageSize: 10, checkpoint: cp });
    if (resumed.status !== 'complete' || batched.status !== 'complete') throw new Error('not complete');
    expect(resumed.clusters).toEqual(batched.clusters);
    expect({ ...resumed.stats, resumes: 0 }).toEqual(batched.stats);
    await store.close();
    await exactStore.close();
  });

  it('a store without consent records gives a typed result', async () => {
    const store = createMemoryIdentityStore({ keys });
    await store.upsert({ idNumber: idOf(1) });
    await store.enrolTemplate(idOf(1), { kind: 'face', format: 'f32', data: encodeEmbedding(unit(createRng(1).next)) });
    const r = await dedupeFaces(store, { threshold: 0.5 });
    expect(r).toMatchObject({ status: 'no-consent', purpose: DEDUPE_PURPOSE, stats: { withoutConsent: 1 } });
    await store.close();
  });

  it('rejects bad options with a typed error', async () => {
    const store = createMemoryIdentityStore({ keys });
    for (const o of [
      { threshold: Number.NaN },
      { threshold: 2 },
      { threshold: 0.5, k: 0 },
      { threshold: 0.5, pageSize: 0.5 },
    ]) {
      await expect(dedupeFaces(store, o)).rejects.toMatchObject({ code: 'dedupe/invalid-options' });
    }
    await store.close();
  });
});

describe('review', () => {
  it('writes CSV and HTML reports with ids, scores and why, escaping what it prints', async () => {
    const { store } = await world();
    const r = await dedupeFaces(store, { threshold: 0.8 });
    if (r.status !== 'complete') throw new Error(r.status);
    const csv = dedupeReportCsv(r);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('case,proposal,ids,min_score,max_score,why,decision');
    expect(lines).toHaveLength(1 + r.clusters.length + r.conflicts.length);
    expect(csv).toContain(r.clusters[0]?.ids[0]);
    const html = dedupeReportHtml({ ...r, threshold: '<b>' as unknown as number });
    expect(html).not.toContain('<b>');
    expect(html).toContain('<td>C1</td>');
    await store.close();
  });

  it('records a decision in the audit log and merges nothing', async () => {
    const audit = createMemoryAuditLog();
    const e = await recordDedupeDecision(audit, {
      actor: 'desk-07/officer-1',
      ids: [idOf(2), idOf(1)],
      decision: 'same-person',
      proposal: 'face-cluster',
      reference: 'CASE-1',
    });
    expect(e).toMatchObject({
      action: 'identity.dedupe-decision',
      subject: idOf(1),
      details: { decision: 'same-person', ids: `${idOf(1)} ${idOf(2)}`, count: 2, reference: 'CASE-1' },
    });
    expect(await audit.list()).toHaveLength(1);
    for (const bad of [
      { ids: [idOf(1)] },
      { ids: [idOf(1), 'abc'] },
      { decision: 'merge' },
      { proposal: 'x' },
      { reference: 'a b' },
    ]) {
      await expect(
        recordDedupeDecision(audit, {
          actor: 'a',
          ids: [idOf(1), idOf(2)],
          decision: 'same-person',
          proposal: 'face-cluster',
          ...bad,
        } as never),
      ).rejects.toMatchObject({ code: 'dedupe/invalid-decision' });
    }
    expect(await audit.list()).toHaveLength(1);
  });
});
