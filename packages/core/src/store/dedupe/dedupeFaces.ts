import { SmartCitizenError } from '../../errors/index.js';
import type { CitizenIdentity } from '../../identity/index.js';
import type { Clock } from '../../ports/index.js';
import { systemClock } from '../../ports/index.js';
import { sha256Hex } from '../../privacy/AuditLog.js';
import { findActiveConsent } from '../../privacy/consent.js';
import { foldForCompare } from '../../text/foldDiacritics.js';
import { decodeEmbedding } from '../embedding.js';
import type { FaceHashPrefilter } from '../FaceScanIndex.js';
import type { FaceScanItem, FaceSearchHit, IdentityStore } from '../IdentityStore.js';
import { cosineSimilarity } from '../validateRecord.js';
import { ImpostorModel, type ImpostorModelJson, type ImpostorStats, normalisedScore } from './impostorModel.js';
import { UnionFind } from './unionFind.js';

/** Consent purpose the dedupe job looks for (scope `face-search`) unless told otherwise. */
export const DEDUPE_PURPOSE = 'account-deduplication';

/**
 * The face index a store should search with while the dedupe job runs
 * (`indexes: { face: cosineTemplateIndex(decodeEmbedding, DEDUPE_PREFILTER) }`): 256-bit sign codes,
 * the 300 nearest codes re-ranked exactly, the batch code scan on two threads. The job then does
 * one tiled all-pairs pass per page instead of an exact scan per account (figures: core README,
 * *Account dedupe*).
 */
export const DEDUPE_PREFILTER: Readonly<FaceHashPrefilter> = Object.freeze({ bits: 256, candidates: 300, threads: 2 });

/** What the job needs from a store: the public {@link IdentityStore} API with the face scan and 1:N face search. */
export type DedupeStore = Pick<
  IdentityStore,
  'get' | 'getTemplates' | 'listTemplates' | 'listConsents' | 'count' | 'searchFacesMany'
> &
  Required<Pick<IdentityStore, 'scanFaces' | 'searchFaces'>>;

/** A group of accounts whose faces match (connected by hits at or above the threshold). */
export interface DedupeCluster {
  /** ID numbers, sorted. */
  ids: string[];
  /** Lowest and highest similarity of the matching pairs that join the group. */
  minScore: number;
  maxScore: number;
  /** The matching pairs (why the group exists), best first. */
  pairs: DedupePair[];
}

/** Two accounts and the best cosine similarity between their face templates. */
export interface DedupePair {
  a: string;
  b: string;
  score: number;
  /** With {@link DedupeOptions.normalise}: the score against both accounts' impostor spread. */
  z?: number;
  /**
   * A pair below `normalise.minZ` that joined because a third account matches both at or above
   * `normalise.corroboratedZ`: that account.
   */
  via?: string;
}

/** Why two accounts' card data agree. */
export type ConflictReason = 'same-old-id-number' | 'same-name-and-birth-date';

/** Accounts whose card data agree while their faces do not match. */
export interface DedupeConflict {
  ids: [string, string];
  reason: ConflictReason;
  /** Best face similarity between them (below the threshold). */
  faceScore: number;
}

/** Counts of one run (resumed runs count each account once). */
export interface DedupeStats {
  /** Face templates read by the scan. */
  scanned: number;
  /** Accounts looked at: those with a face template, plus the rest when the store can count. */
  accounts: number;
  /** Accounts searched (with consent and a face template). */
  searched: number;
  /** Face templates searched with. */
  templates: number;
  /** Accounts skipped: no active `face-search` consent for the purpose. */
  withoutConsent: number;
  /** Accounts without a face template (when the store can count). */
  withoutFace: number;
  /** Hits dropped because the other account has no consent. */
  hitsWithoutConsent: number;
  /** Matching pairs found (with `normalise`: pairs at or above the cosine threshold, before the normalised check). */
  pairs: number;
  /** With `normalise`: pairs that also passed the normalised check (what the clusters are made of). */
  normalisedPairs?: number;
  /** With `normalise.corroboratedZ`: of those, pairs below `minZ` that a third account corroborates. */
  corroboratedPairs?: number;
  /** Times the job was resumed from a checkpoint. */
  resumes: number;
}

/** Result of {@link dedupeFaces}. */
export type DedupeResult =
  | {
      status: 'complete';
      threshold: number;
      clusters: DedupeCluster[];
      conflicts: DedupeConflict[];
      stats: DedupeStats;
    }
  /** Stopped by the signal at a page boundary; run again with the same checkpoint to go on. */
  | { status: 'stopped'; threshold: number; cursor?: string; stats: DedupeStats }
  /** The store has face templates but no account consented to face search for the purpose. */
  | { status: 'no-consent'; threshold: number; purpose: string; stats: DedupeStats };

/**
 * The job's position and findings so far (JSON; holds ID numbers and hashed card keys, no names).
 * Its size grows with the pairs found and the card keys (two 16-hex-digit hashes per account with
 * a face), not with a list of the accounts done: the position is the scan's keyset cursor.
 */
export interface DedupeCheckpoint {
  version: 2;
  threshold: number;
  k: number;
  purpose: string;
  /** {@link IdentityStore.scanFaces} cursor: templates up to here are done (absent: from the start). */
  cursor?: string;
  done: boolean;
  /** Matching pairs: `a|b` (a < b) → best score. */
  edges: Record<string, number>;
  /** First 64 bits of the SHA-256 of a card key (reason + value), hex → accounts having it. */
  cards: Record<string, string[]>;
  stats: DedupeStats;
  /** With `normalise`: its settings, the population model, and `[mean, std]` of the accounts in pairs. */
  normalise?: { minZ: number; sample: number; corroboratedZ?: number } & CorroborationOptions;
  model?: ImpostorModelJson;
  norms?: Record<string, [number, number]>;
}

/** Where the checkpoint is kept between runs (a file, a table…). */
export interface DedupeCheckpointStore {
  load(): Promise<DedupeCheckpoint | undefined>;
  save(checkpoint: DedupeCheckpoint): Promise<void>;
}

/** Progress after each page of the face scan. */
export interface DedupeProgress {
  cursor?: string;
  accounts: number;
  templates: number;
  pairs: number;
}

/** Options of {@link dedupeFaces}. */
export interface DedupeOptions {
  /** Cosine similarity at or above which two faces match (the face profile's threshold). */
  threshold: number;
  /**
   * Nearest templates asked for per template: larger finds bigger groups in one pass.
   * @default 10
   */
  k?: number;
  /**
   * Consent purpose required (scope `face-search`) of both accounts of a pair.
   * @default DEDUPE_PURPOSE
   */
  purpose?: string;
  /**
   * Face templates per page of the scan (one checkpoint per page).
   * @default 500
   */
  pageSize?: number;
  /** Ask the store for an exact search where it would use an approximate index. */
  exact?: boolean;
  /**
   * Second check per pair (cohort normalisation, see {@link ImpostorModel}): before the scan the
   * job estimates the population's impostor model from the first `sample` face templates of
   * consenting accounts; a pair found at or above `threshold` (then a cosine floor) joins a cluster
   * only when its normalised score is at least `minZ`. Needs 1,000 templates or more
   * (`dedupe/too-few-faces` otherwise). `pnpm bench dedupe-job` chooses `minZ` on a tuning half.
   *
   * `corroboratedZ` (below `minZ`) is the second check per cluster: a pair whose normalised score
   * is at least `corroboratedZ` but below `minZ` joins only when a third account matches both of
   * its accounts at or above `corroboratedZ` too (they form a triangle). Stranger pairs pulled
   * above a bar by the size of the gallery are single, unrelated pairs; three accounts of one
   * person back each other. So `minZ` — the bar for a pair on its own, which has to rise with the
   * gallery (figures: core README, *Account dedupe*) — can stay high while a person's weaker photos
   * still join through the others. Two accounts of one person with no third are judged by `minZ`.
   *
   * `corroboratedBy` and `corroboratedShare` ask more of that third account (see {@link acceptPairs}):
   * at least `corroboratedBy` accounts matching both, which are at least `corroboratedShare` of all
   * the accounts either matches at `corroboratedZ`. A triangle of strangers has one common account;
   * a lookalike that matches a few of a person's many photos shares a small part of their matches.
   */
  normalise?: { minZ: number; sample?: number; corroboratedZ?: number } & CorroborationOptions;
  /** Resume from and save to. */
  checkpoint?: DedupeCheckpointStore;
  /**
   * Least time between two checkpoint saves (by `clock`); the job also saves when it stops and when
   * it ends. A save writes every pair and card key found so far, so saving after each page would
   * cost O(pages × findings) at a million accounts. 0: after every page.
   * @default 10000
   */
  checkpointEveryMs?: number;
  /** Stops the job at the next page boundary (after its checkpoint). */
  signal?: AbortSignal;
  onProgress?: (p: DedupeProgress) => void;
  clock?: Clock;
}

const emptyStats = (): DedupeStats => ({
  scanned: 0,
  accounts: 0,
  searched: 0,
  templates: 0,
  withoutConsent: 0,
  withoutFace: 0,
  hitsWithoutConsent: 0,
  pairs: 0,
  resumes: 0,
});

/** Whether two faces at cosine `score` pass the normalised check. */
function faceMatches(model: ImpostorModel, score: number, [x, y]: [Float32Array, Float32Array], minZ: number): boolean {
  const [sx, sy] = [model.stats(x), model.stats(y)];
  return sx !== undefined && sy !== undefined && normalisedScore(score, sx, sy) >= minZ;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** Card keys of an identity: the old CMND number, and name + full date of birth. */
function cardKeys(identity: CitizenIdentity): [ConflictReason, string][] {
  const keys: [ConflictReason, string][] = [];
  if (identity.oldIdNumber) keys.push(['same-old-id-number', identity.oldIdNumber]);
  const d = identity.dateOfBirth;
  if (identity.fullName && d?.month !== undefined && d.day !== undefined) {
    const name = foldForCompare(identity.fullName).replace(/\s+/g, ' ').trim();
    if (name) keys.push(['same-name-and-birth-date', `${name}|${d.year}-${d.month}-${d.day}`]);
  }
  return keys;
}

function checkOptions(o: DedupeOptions): void {
  const bad = (message: string) => new SmartCitizenError('dedupe/invalid-options', message, { pkg: 'core' });
  if (!Number.isFinite(o.threshold) || o.threshold <= -1 || o.threshold > 1) {
    throw bad('threshold must be a cosine similarity in (-1, 1]');
  }
  if (o.k !== undefined && (!Number.isInteger(o.k) || o.k < 1 || o.k > 1000)) throw bad('k must be 1…1000');
  if (o.checkpointEveryMs !== undefined && !(Number.isFinite(o.checkpointEveryMs) && o.checkpointEveryMs >= 0)) {
    throw bad('checkpointEveryMs must be ≥ 0');
  }
  if (o.pageSize !== undefined && (!Number.isInteger(o.pageSize) || o.pageSize < 1 || o.pageSize > 100_000)) {
    throw bad('pageSize must be 1…100000');
  }
  const nz = o.normalise;
  if (nz && !Number.isFinite(nz.minZ)) throw bad('normalise.minZ must be a number');
  if (nz?.corroboratedZ !== undefined && !(Number.isFinite(nz.corroboratedZ) && nz.corroboratedZ <= nz.minZ)) {
    throw bad('normalise.corroboratedZ must be a number ≤ normalise.minZ');
  }
  if (nz && (nz.corroboratedBy !== undefined || nz.corroboratedShare !== undefined) && nz.corroboratedZ === undefined) {
    throw bad('normalise.corroboratedBy and corroboratedShare need normalise.corroboratedZ');
  }
  if (nz?.corroboratedBy !== undefined && !(Number.isInteger(nz.corroboratedBy) && nz.corroboratedBy >= 1)) {
    throw bad('normalise.corroboratedBy must be an integer ≥ 1');
  }
  if (nz?.corroboratedShare !== undefined && !(nz.corroboratedShare >= 0 && nz.corroboratedShare <= 1)) {
    throw bad('normalise.corroboratedShare must be 0…1');
  }
  if (
    nz?.sample !== undefined &&
    (!Number.isInteger(nz.sample) || nz.sample < MIN_MODEL_SAMPLE || nz.sample > 1_000_000)
  ) {
    throw bad(`normalise.sample must be ${MIN_MODEL_SAMPLE}…1000000`);
  }
}

/** Face templates the impostor model needs at least. */
const MIN_MODEL_SAMPLE = 1000;
const sameNormalise = (a: DedupeCheckpoint['normalise'], b: DedupeCheckpoint['normalise']) =>
  a?.minZ === b?.minZ &&
  a?.sample === b?.sample &&
  a?.corroboratedZ === b?.corroboratedZ &&
  a?.corroboratedBy === b?.corroboratedBy &&
  a?.corroboratedShare === b?.corroboratedShare;

/** How much a pair below `minZ` needs its accounts' other matches to agree (see {@link acceptPairs}). */
export interface CorroborationOptions {
  /**
   * Accounts that must match both accounts of the pair at or above `corroboratedZ`.
   * @default 1
   */
  corroboratedBy?: number;
  /**
   * Share of the accounts either account of the pair matches at or above `corroboratedZ` (other than
   * each other) that must match both: 0…1.
   * @default 0
   */
  corroboratedShare?: number;
}

/**
 * The pairs that join clusters, by normalised score: those at or above `minZ`, and those at or above
 * `corroboratedZ` whose two accounts both match at least `corroboratedBy` common other accounts at
 * or above `corroboratedZ`, which are at least `corroboratedShare` of all the other accounts either
 * of them matches there (→ `via`: a common account, the first in sort order). With the defaults
 * (1, 0) one common account is enough: a triangle.
 * @param scored - `a|b` → normalised score
 * @returns accepted `a|b` keys → the corroborating account, or undefined for a pair at `minZ` or above
 */
export function acceptPairs(
  scored: ReadonlyMap<string, number>,
  minZ: number,
  corroboratedZ = minZ,
  { corroboratedBy = 1, corroboratedShare = 0 }: CorroborationOptions = {},
): Map<string, string | undefined> {
  const near = new Map<string, Set<string>>();
  const link = (x: string, y: string) => {
    const s = near.get(x);
    if (s) s.add(y);
    else near.set(x, new Set([y]));
  };
  for (const [key, z] of scored) {
    if (z < corroboratedZ) continue;
    const [a, b] = key.split('|') as [string, string];
    link(a, b);
    link(b, a);
  }
  const out = new Map<string, string | undefined>();
  for (const [key, z] of scored) {
    if (z >= minZ) out.set(key, undefined);
    else if (z >= corroboratedZ) {
      const [a, b] = key.split('|') as [string, string];
      const [na, nb] = [near.get(a) as Set<string>, near.get(b) as Set<string>];
      const [small, large] = na.size <= nb.size ? [na, nb] : [nb, na];
      let via: string | undefined;
      let common = 0;
      for (const c of small)
        if (c !== a && c !== b && large.has(c)) {
          common++;
          if (via === undefined || c < via) via = c;
        }
      // Each set holds the other account of the pair: the rest is what either matches besides.
      const either = na.size - 1 + (nb.size - 1) - common;
      if (via !== undefined && common >= corroboratedBy && common >= corroboratedShare * either) out.set(key, via);
    }
  }
  return out;
}

/**
 * Find accounts that belong to one person: every face template of every consenting account is
 * searched 1:N against the store; hits at or above `threshold` between two accounts join them
 * (union–find) into clusters. Accounts whose card data agree (same old CMND number, or same name
 * and date of birth) while their faces stay below the threshold are reported as conflicts.
 *
 * The job walks the face templates with {@link IdentityStore.scanFaces} (keyset pages in enrolment
 * order), so its memory holds one page of templates, the pairs found and the hashed card keys —
 * not the gallery, nor a list of the accounts done. With a `checkpoint` it saves its cursor after
 * each page and resumes there; each account is counted once (at its oldest face template).
 * Accounts without a face template are not visited (a store that can count reports them). Nothing is merged: record a
 * person's decision with {@link recordDedupeDecision}.
 * @param store - any identity store with 1:N face search and keys
 * @param options - threshold and job controls
 * @returns clusters, conflicts and counts; `stopped` when the signal fired; `no-consent` when no account consented
 * @throws SmartCitizenError `dedupe/invalid-options`, `dedupe/checkpoint-mismatch`, and the store's errors
 */
export async function dedupeFaces(store: DedupeStore, options: DedupeOptions): Promise<DedupeResult> {
  checkOptions(options);
  const threshold = options.threshold;
  const k = options.k ?? 10;
  const purpose = options.purpose ?? DEDUPE_PURPOSE;
  const pageSize = options.pageSize ?? 500;
  const clock = options.clock ?? systemClock;
  const normalise = options.normalise
    ? {
        minZ: options.normalise.minZ,
        sample: options.normalise.sample ?? 20_000,
        ...(options.normalise.corroboratedZ === undefined ? {} : { corroboratedZ: options.normalise.corroboratedZ }),
        ...(options.normalise.corroboratedBy === undefined ? {} : { corroboratedBy: options.normalise.corroboratedBy }),
        ...(options.normalise.corroboratedShare === undefined
          ? {}
          : { corroboratedShare: options.normalise.corroboratedShare }),
      }
    : undefined;
  let state: DedupeCheckpoint = {
    version: 2,
    threshold,
    k,
    purpose,
    done: false,
    edges: {},
    cards: {},
    stats: emptyStats(),
    ...(normalise ? { normalise } : {}),
  };
  const saved = await options.checkpoint?.load();
  if (saved) {
    if (
      saved.version !== 2 ||
      saved.threshold !== threshold ||
      saved.k !== k ||
      saved.purpose !== purpose ||
      !sameNormalise(saved.normalise, normalise)
    ) {
      throw new SmartCitizenError(
        'dedupe/checkpoint-mismatch',
        'the checkpoint was made with other options (threshold, k, purpose or normalise) or by an older version; remove it to start over',
        { pkg: 'core' },
      );
    }
    state = saved;
    if (!state.done) state.stats.resumes++;
  }
  const edges = new Map(Object.entries(state.edges));
  const cards = new Map(Object.entries(state.cards));
  const norms = new Map(Object.entries(state.norms ?? {}));
  const stats = state.stats;
  const consentCache = new Map<string, boolean>();
  const consents = async (id: string) => {
    let ok = consentCache.get(id);
    if (ok === undefined) {
      ok = findActiveConsent(await store.listConsents(id), 'face-search', purpose, clock.now()) !== undefined;
      if (consentCache.size > 100_000) consentCache.clear();
      consentCache.set(id, ok);
    }
    return ok;
  };

  // The impostor model: from the first `sample` face templates of consenting accounts (kept in
  // the checkpoint, so a resumed job normalises with the same model).
  let model = state.model ? ImpostorModel.fromJSON(state.model) : undefined;
  if (normalise && !model) {
    const sample: Float32Array[] = [];
    for (let after: string | undefined; sample.length < normalise.sample; ) {
      const page = await store.scanFaces({ ...(after !== undefined ? { after } : {}), limit: pageSize });
      for (const item of page.items)
        if (sample.length < normalise.sample && (await consents(item.idNumber))) sample.push(item.embedding);
      if (page.next === undefined) break;
      after = page.next;
    }
    if (sample.length < MIN_MODEL_SAMPLE && sample.length > 0) {
      throw new SmartCitizenError(
        'dedupe/too-few-faces',
        `normalise needs ${MIN_MODEL_SAMPLE} face templates of consenting accounts or more; this store has ${sample.length}`,
        { pkg: 'core' },
      );
    }
    if (sample.length > 0) {
      model = ImpostorModel.fit(sample, (sample[0] as Float32Array).length);
      state.model = model.toJSON();
    }
  }
  const normOf = (embedding: Float32Array): [number, number] | undefined => {
    const st = model?.stats(embedding);
    return st ? [st.mean, st.std] : undefined;
  };

  // One template of the scan. The account's own work (consent count, card keys) is done at its
  // oldest face template, which the scan (in enrolment order) meets first: each account once.
  // Resolves to the template's search (hits wanted) when it is to be searched.
  const prepareTemplate = async (item: FaceScanItem): Promise<{ item: FaceScanItem; want: number } | undefined> => {
    stats.scanned++;
    const id = item.idNumber;
    // Which face templates the account has now (the scan already decrypted this one's embedding:
    // the list without data decrypts nothing; getTemplates only for stores that lack it).
    const mine = store.listTemplates ? await store.listTemplates(id, 'face') : await store.getTemplates(id, 'face');
    if (!mine.some((t) => t.id === item.templateId)) return undefined; // deleted since the page was read
    const first = mine[0]?.id === item.templateId;
    if (first) stats.accounts++;
    if (!(await consents(id))) {
      if (first) stats.withoutConsent++;
      return undefined;
    }
    if (first) {
      stats.searched++;
      const record = await store.get(id);
      for (const [reason, value] of record ? cardKeys(record.identity) : []) {
        const key = (await sha256Hex(`${reason}\u0000${value}`)).slice(0, 16);
        const group = cards.get(key);
        if (!group) cards.set(key, [id]);
        else if (!group.includes(id)) group.push(id);
      }
    }
    stats.templates++;
    return { item, want: k + mine.length };
  };
  const recordHits = async (item: FaceScanItem, hits: readonly FaceSearchHit[]) => {
    const id = item.idNumber;
    for (const h of hits) {
      if (h.idNumber === id || h.similarity < threshold) continue;
      if (!(await consents(h.idNumber))) {
        stats.hitsWithoutConsent++;
        continue;
      }
      if (model && !norms.has(id)) {
        const own = normOf(item.embedding);
        if (own) norms.set(id, own);
      }
      const key = pairKey(id, h.idNumber);
      const prev = edges.get(key);
      if (prev === undefined || h.similarity > prev) edges.set(key, h.similarity);
    }
  };
  const searchOptions = (want: number) => ({
    k: want,
    minSimilarity: threshold,
    ...(options.exact ? { exact: true } : {}),
  });
  // A page: the store's batch search when it has one (one tiled pass over its codes for the
  // page), else one search per template. Each template keeps its own best `want` hits either way.
  const processPage = async (items: readonly FaceScanItem[]) => {
    const searchable: { item: FaceScanItem; want: number }[] = [];
    for (const item of items) {
      const t = await prepareTemplate(item);
      if (t) searchable.push(t);
    }
    if (store.searchFacesMany && searchable.length > 1) {
      const most = Math.max(...searchable.map((t) => t.want));
      const many = await store.searchFacesMany(
        searchable.map(({ item }) => ({ embedding: item.embedding, templateId: item.templateId })),
        searchOptions(most),
      );
      for (const [j, { item, want }] of searchable.entries()) await recordHits(item, (many[j] ?? []).slice(0, want));
    } else {
      for (const { item, want } of searchable)
        await recordHits(item, await store.searchFaces(item.embedding, searchOptions(want)));
    }
  };

  const snapshot = (): DedupeCheckpoint => {
    stats.pairs = edges.size;
    return {
      ...state,
      edges: Object.fromEntries(edges),
      cards: Object.fromEntries(cards),
      stats,
      ...(normalise ? { norms: Object.fromEntries(norms) } : {}),
    };
  };

  const saveEvery = options.checkpointEveryMs ?? 10_000;
  let lastSave = clock.now();
  let unsaved = false;
  const save = async () => {
    state = snapshot();
    await options.checkpoint?.save(state);
    lastSave = clock.now();
    unsaved = false;
  };
  while (!state.done) {
    if (options.signal?.aborted) {
      if (unsaved) await save();
      return {
        status: 'stopped',
        threshold,
        ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
        stats: { ...stats, pairs: edges.size },
      };
    }
    const page = await store.scanFaces({
      ...(state.cursor !== undefined ? { after: state.cursor } : {}),
      limit: pageSize,
    });
    await processPage(page.items);
    if (page.next === undefined) state.done = true;
    else state.cursor = page.next;
    unsaved = true;
    if (options.checkpoint && (state.done || clock.now() - lastSave >= saveEvery)) await save();
    options.onProgress?.({
      ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
      accounts: stats.accounts,
      templates: stats.templates,
      pairs: edges.size,
    });
  }
  stats.pairs = edges.size;
  if (stats.searched === 0 && stats.scanned > 0) {
    return { status: 'no-consent', threshold, purpose, stats };
  }
  // Accounts without a face are never scanned: count them when the store can count.
  const total = await store.count?.();
  if (total !== undefined && total >= stats.accounts) {
    stats.withoutFace = total - stats.accounts;
    stats.accounts = total;
  }

  // The normalised check: every account of a pair needs its impostor stats (an account whose own
  // search found nothing was not measured during the scan: read its oldest face template now).
  const zOf = new Map<string, number>();
  let joined = new Map<string, string | undefined>();
  if (model) {
    const statsOf = async (id: string): Promise<ImpostorStats | undefined> => {
      let st = norms.get(id);
      if (!st) {
        const t = (await store.getTemplates(id, 'face'))[0];
        st = t ? normOf(decodeEmbedding(t.data)) : undefined;
        if (st) norms.set(id, st);
      }
      return st ? { mean: st[0], std: st[1] } : undefined;
    };
    const { minZ, corroboratedZ, corroboratedBy, corroboratedShare } = normalise as NonNullable<typeof normalise>;
    const lowest = corroboratedZ ?? minZ;
    for (const [key, score] of edges) {
      const [a, b] = key.split('|') as [string, string];
      const [sa, sb] = [await statsOf(a), await statsOf(b)];
      const z = sa && sb ? normalisedScore(score, sa, sb) : -Infinity;
      if (z >= lowest) zOf.set(key, z);
    }
    joined = acceptPairs(zOf, minZ, lowest, {
      ...(corroboratedBy === undefined ? {} : { corroboratedBy }),
      ...(corroboratedShare === undefined ? {} : { corroboratedShare }),
    });
    stats.normalisedPairs = joined.size;
    if (corroboratedZ !== undefined) stats.corroboratedPairs = [...joined.values()].filter((v) => v).length;
  }
  const accepted = (key: string) => (model ? joined.has(key) : edges.has(key));
  const uf = new UnionFind();
  for (const key of edges.keys()) {
    if (!accepted(key)) continue;
    const [a, b] = key.split('|') as [string, string];
    uf.union(a, b);
  }
  const clusters: DedupeCluster[] = uf.groups().map((ids) => ({ ids, minScore: 1, maxScore: -1, pairs: [] }));
  const clusterOf = new Map<string, DedupeCluster>();
  for (const c of clusters) for (const id of c.ids) clusterOf.set(id, c);
  for (const [key, score] of edges) {
    if (!accepted(key)) continue;
    const [a, b] = key.split('|') as [string, string];
    const c = clusterOf.get(a) as DedupeCluster;
    const z = zOf.get(key);
    const via = joined.get(key);
    c.pairs.push({
      a,
      b,
      score: round(score),
      ...(z === undefined ? {} : { z: round(z) }),
      ...(via === undefined ? {} : { via }),
    });
    c.minScore = Math.min(c.minScore, round(score));
    c.maxScore = Math.max(c.maxScore, round(score));
  }
  for (const c of clusters) c.pairs.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));

  const conflicts: DedupeConflict[] = [];
  // Card groups are keyed by hash; the shared reason is read again from the two accounts.
  const faces = new Map<string, Float32Array[]>();
  const facesOf = async (id: string) => {
    let f = faces.get(id);
    if (!f) {
      f = (await store.getTemplates(id, 'face')).map((t) => decodeEmbedding(t.data));
      faces.set(id, f);
    }
    return f;
  };
  const reported = new Set<string>();
  for (const group of cards.values()) {
    if (group.length < 2) continue;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        // The card hashes are cut to 64 bits: the shared key is read again from the two records.
        const [a, b] = [group[i] as string, group[j] as string].sort() as [string, string];
        const key = pairKey(a, b);
        if (accepted(key) || reported.has(key)) continue;
        const [ra, rb] = await Promise.all([store.get(a), store.get(b)]);
        if (!ra || !rb) continue;
        const kb = new Map(cardKeys(rb.identity).map(([r, v]) => [`${r}\u0000${v}`, r]));
        const shared = cardKeys(ra.identity).find(([r, v]) => kb.has(`${r}\u0000${v}`));
        if (!shared) continue;
        let best = -1;
        let bestPair: [Float32Array, Float32Array] | undefined;
        for (const x of await facesOf(a))
          for (const y of await facesOf(b)) {
            const s = cosineSimilarity(x, y);
            if (s > best) [best, bestPair] = [s, [x, y]];
          }
        if (
          best >= threshold &&
          !(model && bestPair && !faceMatches(model, best, bestPair, (normalise as { minZ: number }).minZ))
        )
          continue;
        reported.add(key);
        conflicts.push({ ids: [a, b], reason: shared[0], faceScore: round(best) });
      }
    }
    faces.clear();
  }
  conflicts.sort((x, y) => (x.ids[0] < y.ids[0] ? -1 : x.ids[0] > y.ids[0] ? 1 : x.ids[1] < y.ids[1] ? -1 : 1));
  return { status: 'complete', threshold, clusters, conflicts, stats };
}
