// pgvector face search: which index serves 1:N search over `sc_identity_face_vectors`, and the
// SQL of one search. The full-precision embedding stays the one searchable column; quantised
// forms (halfvec, binary codes) exist only inside expression indexes over it, and the candidates
// they return are re-ranked exactly by the full embedding.
import { SmartCitizenError } from '@smart-citizen/core';
import { PKG, type PostgresMigration } from '../pgSupport.js';

/** How the face vectors are quantised in the index. */
export type FaceQuantization = 'none' | 'halfvec' | 'binary';

/** pgvector's iterative index scans (0.8.0+): keep scanning the index until enough rows pass. */
export type IterativeScan = 'off' | 'relaxed_order' | 'strict_order';

/** The index that serves 1:N face search (option `faceIndex` of the PostgreSQL store). */
export interface FaceIndexOptions {
  /**
   * `hnsw` (a graph; m and ef_construction from the store's `hnsw` option) or `ivfflat`
   * (k-means lists; build it after loading, its lists are trained on the rows present).
   * @default 'hnsw'
   */
  type?: 'hnsw' | 'ivfflat';
  /**
   * What the index holds: `none` the float32 vector (`vector_cosine_ops`), `halfvec` a float16
   * copy (`(embedding::halfvec(d))`, half the index size), `binary` one sign bit a dimension
   * (`binary_quantize(embedding)::bit(d)`, Hamming distance; 1/32 of the vector). Quantised
   * indexes are expression indexes: no extra column is stored.
   * @default 'none'
   */
  quantization?: FaceQuantization;
  /**
   * Candidates taken from the index and re-ranked by the exact cosine of the full embedding
   * (0: the index order is the answer). Above 1,000 (HNSW's largest ef_search) the HNSW scan is
   * iterative (`relaxed_order`).
   * @default 0 for `none`, 100 for `halfvec`, 1000 for `binary`
   */
  rerank?: number;
  /**
   * `hnsw.iterative_scan` / `ivfflat.iterative_scan` for the search (pgvector ≥ 0.8.0;
   * `ivfflat` knows only `relaxed_order`).
   * @default 'off' (unless `rerank` > 1000 with HNSW)
   */
  iterativeScan?: IterativeScan;
  /**
   * `hnsw.max_scan_tuples` when the scan is iterative.
   * @default pgvector's (20,000)
   */
  maxScanTuples?: number;
  /**
   * IVFFlat: number of lists at build time.
   * @default 1000
   */
  lists?: number;
  /**
   * IVFFlat: lists probed per search (`ivfflat.probes`).
   * @default 32
   */
  probes?: number;
}

/** The face index settled from the options. @internal */
export interface FaceIndexPlan {
  type: 'hnsw' | 'ivfflat';
  quantization: FaceQuantization;
  rerank: number;
  iterativeScan: IterativeScan;
  maxScanTuples: number | undefined;
  lists: number;
  probes: number;
  m: number;
  efConstruction: number;
  efSearch: number;
  /** Index name in the schema. */
  name: string;
  /** Migration component recording that this index was created. */
  component: string;
}

const HNSW_MAX_EF = 1000;

const bad = (message: string, details?: Record<string, unknown>) =>
  new SmartCitizenError('store/invalid-config', message, { pkg: PKG, ...(details ? { details } : {}) });

const positiveInt = (name: string, v: number, max: number) => {
  if (!Number.isInteger(v) || v < 1 || v > max) throw bad(`${name} must be an integer in 1..${max}`, { [name]: v });
  return v;
};

/**
 * Check the face index options and settle their defaults.
 * @throws SmartCitizenError `store/invalid-config` for an unknown type, quantisation or scan mode, or an out-of-range number
 * @internal
 */
export function planFaceIndex(
  index: FaceIndexOptions | undefined,
  hnsw: { m?: number; efConstruction?: number; efSearch?: number } | undefined,
): FaceIndexPlan {
  const type = index?.type ?? 'hnsw';
  if (type !== 'hnsw' && type !== 'ivfflat') throw bad('faceIndex.type must be hnsw or ivfflat', { type });
  const quantization = index?.quantization ?? 'none';
  if (!['none', 'halfvec', 'binary'].includes(quantization)) {
    throw bad('faceIndex.quantization must be none, halfvec or binary', { quantization });
  }
  const rerank =
    index?.rerank === undefined
      ? { none: 0, halfvec: 100, binary: 1000 }[quantization]
      : index.rerank === 0
        ? 0
        : positiveInt('rerank', index.rerank, 100_000);
  const m = positiveInt('hnsw.m', hnsw?.m ?? 16, 100);
  const efConstruction = positiveInt('hnsw.efConstruction', hnsw?.efConstruction ?? 64, 1000);
  if (efConstruction < 2 * m) throw bad('hnsw.efConstruction must be at least 2 × m', { m, efConstruction });
  const efSearch = positiveInt('hnsw.efSearch', hnsw?.efSearch ?? 400, HNSW_MAX_EF);
  let iterativeScan = index?.iterativeScan ?? 'off';
  if (!['off', 'relaxed_order', 'strict_order'].includes(iterativeScan)) {
    throw bad('faceIndex.iterativeScan must be off, relaxed_order or strict_order', { iterativeScan });
  }
  if (type === 'ivfflat' && iterativeScan === 'strict_order') {
    throw bad('ivfflat has no strict_order iterative scan', { iterativeScan });
  }
  // HNSW returns at most ef_search rows unless the scan is iterative.
  if (type === 'hnsw' && rerank > HNSW_MAX_EF && iterativeScan === 'off') iterativeScan = 'relaxed_order';
  const maxScanTuples =
    index?.maxScanTuples === undefined ? undefined : positiveInt('maxScanTuples', index.maxScanTuples, 1e9);
  const lists = positiveInt('lists', index?.lists ?? 1000, 32768);
  const probes = positiveInt('probes', index?.probes ?? 32, lists);
  const suffix = quantization === 'none' ? '' : `_${quantization}`;
  // The float HNSW index keeps its historical name (migration identity-pgvector v1).
  const name = `sc_identity_face_vectors_${type}${suffix}`;
  return {
    type,
    quantization,
    rerank,
    iterativeScan,
    maxScanTuples,
    lists,
    probes,
    m,
    efConstruction,
    efSearch,
    name,
    component: `identity-pgvector-${type}${suffix}`,
  };
}

/** Indexed expression, operator class and distance operator of a quantisation. @internal */
export function faceIndexExpression(q: FaceQuantization, dimension: number) {
  switch (q) {
    case 'halfvec':
      return {
        expr: `(embedding::halfvec(${dimension}))`,
        opclass: 'halfvec_cosine_ops',
        order: (p: string) => `embedding::halfvec(${dimension}) <=> ${p}::vector(${dimension})::halfvec(${dimension})`,
      };
    case 'binary':
      return {
        expr: `(binary_quantize(embedding)::bit(${dimension}))`,
        opclass: 'bit_hamming_ops',
        order: (p: string) =>
          `binary_quantize(embedding)::bit(${dimension}) <~> binary_quantize(${p}::vector(${dimension}))::bit(${dimension})`,
      };
    default:
      return { expr: '(embedding)', opclass: 'vector_cosine_ops', order: (p: string) => `embedding <=> ${p}::vector` };
  }
}

/**
 * The migration that creates the planned index (`CREATE INDEX IF NOT EXISTS`, so re-running it,
 * or a second process racing the first, changes nothing). The float HNSW index comes from
 * `identity-pgvector` v1 and needs none. On a populated table the build takes long (minutes at
 * 1,000,000 rows): build it beforehand with the same statement if opening must be quick.
 * @internal
 */
export function faceIndexMigrations(plan: FaceIndexPlan, dimension: number): PostgresMigration[] {
  if (plan.type === 'hnsw' && plan.quantization === 'none') return [];
  const { expr, opclass } = faceIndexExpression(plan.quantization, dimension);
  const using =
    plan.type === 'hnsw'
      ? `hnsw (${expr} ${opclass}) WITH (m = ${plan.m}, ef_construction = ${plan.efConstruction})`
      : `ivfflat (${expr} ${opclass}) WITH (lists = ${plan.lists})`;
  return [
    {
      version: 1,
      name: `face search index ${plan.name}`,
      sql: (s) => `CREATE INDEX IF NOT EXISTS ${plan.name} ON ${s}.sc_identity_face_vectors USING ${using};`,
    },
  ];
}

/**
 * `SET LOCAL` statements, query and parameters of one approximate search.
 * @internal
 */
export function faceSearchSql(
  plan: FaceIndexPlan,
  dimension: number,
  table: string,
  probe: Buffer,
  k: number,
): { settings: string[]; sql: string; params: unknown[] } {
  const candidates = Math.max(plan.rerank, k);
  const settings: string[] = [];
  if (plan.type === 'hnsw') {
    settings.push(`SET LOCAL hnsw.ef_search = ${Math.min(HNSW_MAX_EF, Math.max(plan.efSearch, candidates))}`);
    if (plan.iterativeScan !== 'off') {
      settings.push(`SET LOCAL hnsw.iterative_scan = ${plan.iterativeScan}`);
      if (plan.maxScanTuples) settings.push(`SET LOCAL hnsw.max_scan_tuples = ${plan.maxScanTuples}`);
    }
  } else {
    settings.push(`SET LOCAL ivfflat.probes = ${plan.probes}`);
    if (plan.iterativeScan !== 'off') settings.push('SET LOCAL ivfflat.iterative_scan = relaxed_order');
  }
  const { order } = faceIndexExpression(plan.quantization, dimension);
  if (plan.rerank === 0) {
    return {
      settings,
      sql: `SELECT template_id, id_number, embedding <=> $1::vector AS distance
            FROM ${table} ORDER BY ${order('$1')} LIMIT $2`,
      params: [probe, k],
    };
  }
  // The inner query walks the index; the outer one re-ranks its candidates by the full embedding.
  return {
    settings,
    sql: `SELECT template_id, id_number, embedding <=> $1::vector AS distance FROM (
            SELECT template_id, id_number, embedding FROM ${table} ORDER BY ${order('$1')} LIMIT $2
          ) c ORDER BY distance LIMIT $3`,
    params: [probe, candidates, k],
  };
}
