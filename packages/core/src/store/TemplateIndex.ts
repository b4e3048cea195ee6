import { type FaceHashPrefilter, FaceScanIndex } from './FaceScanIndex.js';
import type { FaceSearchHit, TemplateSearchHit } from './IdentityStore.js';

/**
 * An in-process 1:N index over the templates of one kind. `createIdentityStore` fills it from
 * the driver (decrypting each template once), keeps it in step with its own writes and reloads
 * it when the change feed shows a write by another process. It holds plaintext templates in
 * process memory only.
 */
export interface TemplateIndex<Probe = unknown> {
  /** True when this index can answer `probe`; otherwise the store builds a new one for it. */
  fits(probe: Probe): boolean;
  /** Add a template (plaintext) of `idNumber`. */
  add(templateId: string, idNumber: string, template: Uint8Array): void;
  remove(templateId: string): void;
  /** Remove every template of a citizen. */
  removeOwner(idNumber: string): void;
  /** The best `k` hits at or above `minScore`, best first. */
  search(probe: Probe, options: { k: number; minScore?: number }): TemplateSearchHit[];
  /**
   * Optional: {@link search} for many probes at once (same hits per probe), for an index that can
   * share work between them; `templateId` names a probe that is one of the indexed templates.
   */
  searchMany?(
    probes: readonly { probe: Probe; templateId?: string }[],
    options: { k: number; minScore?: number },
  ): Promise<TemplateSearchHit[][]>;
  /** Optional: release what the index started (a scan thread); the store calls it when it drops the index. */
  close?(): Promise<void>;
}

/** Makes an empty {@link TemplateIndex} able to answer `probe`. */
export type TemplateIndexFactory<Probe = unknown> = (probe: Probe) => TemplateIndex<Probe>;

const hitOf = (h: FaceSearchHit): TemplateSearchHit => ({
  idNumber: h.idNumber,
  templateId: h.templateId,
  score: h.similarity,
});

/**
 * The default index of a vector kind (`face`): an exact cosine scan ({@link FaceScanIndex}) of
 * the probe's length; templates of another length are left out. With `prefilter` the scan is the
 * approximate sign-hash one (e.g. `createIdentityStore({ indexes: { face: cosineTemplateIndex(decodeEmbedding, { bits: 256 }) } })`),
 * and with `prefilter.cells` it scans only the nearest cells of a k-means partition (faster, but at
 * the genuine cosine of real faces, ≈ 0.72, it misses many mates: figures in the adapter-postgres
 * README).
 * @param toVector - the kind's template decoder
 * @param prefilter - sign-hash prefilter of {@link FaceScanIndex}; absent: exact
 */
export function cosineTemplateIndex(
  toVector: (template: Uint8Array) => Float32Array,
  prefilter?: FaceHashPrefilter,
): TemplateIndexFactory<Float32Array> {
  return (probe) => {
    const scan = new FaceScanIndex(Math.max(1, probe.length), 1024, prefilter);
    return {
      fits: (p) => p instanceof Float32Array && p.length === scan.dimension,
      add: (id, owner, template) => scan.add(id, owner, toVector(template)),
      remove: (id) => scan.remove(id),
      removeOwner: (owner) => scan.removeOwner(owner),
      search: (p, o) => scan.search(p, { k: o.k, minSimilarity: o.minScore ?? -1 }).map(hitOf),
      close: () => scan.close(),
      searchMany: async (probes, o) =>
        (
          await scan.searchMany(
            probes.map(({ probe, templateId }) => ({ embedding: probe, ...(templateId ? { templateId } : {}) })),
            { k: o.k, minSimilarity: o.minScore ?? -1 },
          )
        ).map((hits) => hits.map(hitOf)),
    };
  };
}
