import {
  type AuditLog,
  type DedupeCheckpoint,
  type DedupeCheckpointStore,
  DEDUPE_PURPOSE,
  type FullIdentityStore,
  type KeyProvider,
  SmartCitizenError,
  createStaticKeyProvider,
  dedupeFaces,
  dedupeReportCsv,
  dedupeReportHtml,
  encodeEmbedding,
  isIdNumberFormat,
  validateIdNumber,
} from '@smart-citizen/core';
import type { FaceVerifier } from '@smart-citizen/face';
import { type CliIO, CliUsageError } from '../command.js';
import { cliError } from '../errors.js';

/** Environment variable holding the store's biometric key: `KEYID:64-hex-digits`. */
export const STORE_KEY_ENV = 'SMART_CITIZEN_STORE_KEY';

/**
 * The key provider named by `SMART_CITIZEN_STORE_KEY` (`KEYID:HEX64`). Never printed.
 * @throws CliUsageError when it is missing or malformed
 */
export function storeKeysFromEnv(env: NodeJS.ProcessEnv = process.env): KeyProvider {
  const raw = env[STORE_KEY_ENV];
  const m = raw ? /^([\w.-]{1,64}):([0-9a-fA-F]{64})$/.exec(raw.trim()) : null;
  if (!m) {
    throw new CliUsageError(
      `face templates are encrypted: set ${STORE_KEY_ENV}=KEYID:HEX (a 32-byte AES key as 64 hex digits)`,
    );
  }
  const hex = m[2] as string;
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) key[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return createStaticKeyProvider({ keys: [{ id: m[1] as string, key }] });
}

/** What the face subcommands need from an opened store. */
export interface FacesStore {
  store: FullIdentityStore;
  audit: AuditLog;
  label: string;
  close(): Promise<void>;
}

/** One line's outcome of `store enrol-face`. */
export type EnrolOutcome =
  | { line: number; status: 'enrolled'; idNumber: string; templateId: string; created: boolean; consentId: string }
  | { line: number; status: 'bad-id'; idNumber: string | null; codes: string[] }
  | { line: number; status: 'unreadable-image'; idNumber: string; codes: string[] }
  | { line: number; status: 'no-face'; idNumber: string; codes: string[] }
  | { line: number; status: 'already-enrolled'; idNumber: string; codes: string[] }
  | { line: number; status: 'error'; idNumber: string; codes: string[] };

/** Options of {@link enrolFaces}. */
export interface EnrolFacesOptions {
  actor: string;
  /** Consent purpose recorded with scope face + face-search. */
  purpose: string;
  readImage(path: string): Promise<Uint8Array>;
  onResult?(r: EnrolOutcome): void;
}

/**
 * Enrol (idNumber, image) items: validate the ID number, embed the face, create the account if
 * needed, record consent, seal the template through the store, audit. Every item ends as a
 * result; none throws.
 */
export async function enrolFaces(
  opened: FacesStore,
  fv: FaceVerifier,
  items:
    | AsyncIterable<{ line: number; idNumber: string; image: string }>
    | Iterable<{ line: number; idNumber: string; image: string }>,
  options: EnrolFacesOptions,
): Promise<EnrolOutcome[]> {
  const out: EnrolOutcome[] = [];
  const push = (r: EnrolOutcome) => {
    out.push(r);
    options.onResult?.(r);
  };
  const batchIds = new Set<string>();
  for await (const { line, idNumber: rawId, image } of items) {
    const idNumber = rawId.replace(/\s+/g, '');
    if (!isIdNumberFormat(idNumber)) {
      push({ line, status: 'bad-id', idNumber: /^\d{1,12}$/.test(idNumber) ? idNumber : null, codes: ['id/format'] });
      continue;
    }
    const errors = validateIdNumber(idNumber).issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      push({ line, status: 'bad-id', idNumber, codes: errors.map((i) => i.code) });
      continue;
    }
    if (batchIds.has(idNumber)) {
      push({ line, status: 'already-enrolled', idNumber, codes: ['enrol/duplicate-in-batch'] });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await options.readImage(image);
    } catch {
      push({ line, status: 'unreadable-image', idNumber, codes: ['enrol/unreadable-image'] });
      continue;
    }
    try {
      const e = await fv.embed(bytes);
      if (e.status !== 'ok') {
        push({ line, status: 'no-face', idNumber, codes: e.issues.map((i) => i.code) });
        continue;
      }
      const existing = await opened.store.get(idNumber);
      if (existing && (await opened.store.getTemplates(idNumber, 'face')).length > 0) {
        push({ line, status: 'already-enrolled', idNumber, codes: ['enrol/already-enrolled'] });
        continue;
      }
      if (!existing) await opened.store.upsert({ idNumber });
      const consent = await opened.store.recordConsent({
        idNumber,
        purpose: options.purpose,
        scope: ['face', 'face-search'],
        reference: 'cli:enrol-face',
      });
      const t = await opened.store.enrolTemplate(idNumber, {
        kind: 'face',
        format: 'f32',
        data: encodeEmbedding(e.embedding),
        label: 'enrol-face',
      });
      batchIds.add(idNumber);
      await opened.audit.append({
        actor: options.actor,
        action: 'identity.face-enrol',
        subject: idNumber,
        purpose: options.purpose,
        details: { via: 'cli', created: !existing, templateId: t.id },
      });
      push({ line, status: 'enrolled', idNumber, templateId: t.id, created: !existing, consentId: consent.id });
    } catch (err) {
      if (!(err instanceof SmartCitizenError)) throw err;
      push({ line, status: 'error', idNumber, codes: [err.code] });
    }
  }
  return out;
}

/** Read a `idNumber<TAB>image` file ('#' comments, blank lines skipped); images relative to it. */
export async function* readEnrolBatch(
  file: string,
  onBadLine: (r: EnrolOutcome) => void,
): AsyncGenerator<{ line: number; idNumber: string; image: string }> {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const { dirname, resolve } = await import('node:path');
  const base = dirname(file);
  const rl = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const raw of rl) {
    line++;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    const [id, image, ...extra] = text.split('\t').map((s) => s.trim());
    if (!id || !image || extra.length > 0) {
      onBadLine({ line, status: 'bad-id', idNumber: null, codes: ['enrol/bad-line'] });
      continue;
    }
    yield { line, idNumber: id, image: resolve(base, image) };
  }
}

/** A checkpoint kept in a JSON file, replaced atomically (write + rename). */
export function fileCheckpoint(path: string): DedupeCheckpointStore {
  return {
    async load() {
      const { readFile } = await import('node:fs/promises');
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
      try {
        return JSON.parse(text) as DedupeCheckpoint;
      } catch (cause) {
        throw cliError('cli/bad-checkpoint', `${path} is not a dedupe checkpoint`, { cause });
      }
    },
    async save(cp) {
      const { rename, writeFile } = await import('node:fs/promises');
      await writeFile(`${path}.tmp`, JSON.stringify(cp), { mode: 0o600 });
      await rename(`${path}.tmp`, path);
    },
  };
}

/** Options of {@link runDedupeJob}. */
export interface DedupeJobOptions {
  threshold: number;
  /** Normalised-score check per pair (`dedupeFaces` `normalise.minZ`). */
  minZ?: number;
  /** Lower bar for pairs a third account backs (`dedupe` `normalise.corroboratedZ`; needs `minZ`). */
  corroboratedZ?: number;
  /** Common accounts such a pair needs (`normalise.corroboratedBy`; needs `corroboratedZ`). */
  corroboratedBy?: number;
  /** Share of either account's matches they must be (`normalise.corroboratedShare`; needs `corroboratedZ`). */
  corroboratedShare?: number;
  purpose: string;
  actor: string;
  checkpoint?: string;
  report?: string;
  signal?: AbortSignal;
}

/** Run the dedupe job on an opened store, write the report, audit the run; resolve to the JSON result. */
export async function runDedupeJob(opened: FacesStore, o: DedupeJobOptions, io: CliIO) {
  const result = await dedupeFaces(opened.store, {
    threshold: o.threshold,
    purpose: o.purpose,
    ...(o.minZ !== undefined
      ? {
          normalise: {
            minZ: o.minZ,
            ...(o.corroboratedZ !== undefined ? { corroboratedZ: o.corroboratedZ } : {}),
            ...(o.corroboratedBy !== undefined ? { corroboratedBy: o.corroboratedBy } : {}),
            ...(o.corroboratedShare !== undefined ? { corroboratedShare: o.corroboratedShare } : {}),
          },
        }
      : {}),
    ...(o.checkpoint ? { checkpoint: fileCheckpoint(o.checkpoint) } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    onProgress: (p) =>
      io.stderr(`store dedupe: ${p.accounts} accounts, ${p.templates} faces searched, ${p.pairs} matching pairs\n`),
  });
  if (result.status === 'complete' && o.report) {
    const { writeFile } = await import('node:fs/promises');
    const body = /\.html?$/i.test(o.report) ? dedupeReportHtml(result) : dedupeReportCsv(result);
    await writeFile(o.report, body, { mode: 0o600 });
  }
  await opened.audit.append({
    actor: o.actor,
    action: 'identity.dedupe-run',
    purpose: o.purpose,
    details: {
      status: result.status,
      threshold: o.threshold,
      ...(o.minZ !== undefined ? { minZ: o.minZ } : {}),
      ...(o.corroboratedZ !== undefined ? { corroboratedZ: o.corroboratedZ } : {}),
      ...(o.corroboratedBy !== undefined ? { corroboratedBy: o.corroboratedBy } : {}),
      ...(o.corroboratedShare !== undefined ? { corroboratedShare: o.corroboratedShare } : {}),
      accounts: result.stats.accounts,
      searched: result.stats.searched,
      pairs: result.stats.pairs,
      clusters: result.status === 'complete' ? result.clusters.length : 0,
      conflicts: result.status === 'complete' ? result.conflicts.length : 0,
    },
  });
  return result;
}

export { DEDUPE_PURPOSE };

/** Parse `--threshold`: a cosine similarity in (0, 1]. */
export function parseThreshold(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const t = Number(text);
  if (!Number.isFinite(t) || t <= 0 || t > 1) throw new CliUsageError('--threshold must be a number in (0, 1]');
  return t;
}

/** Parse `--corroborated-by`: a whole number of accounts ≥ 1. */
export function parseCorroboratedBy(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new CliUsageError('--corroborated-by must be a whole number ≥ 1');
  return n;
}

/** Parse `--corroborated-share`: a share in [0, 1]. */
export function parseCorroboratedShare(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const f = Number(text);
  if (text.trim() === '' || !(f >= 0 && f <= 1))
    throw new CliUsageError('--corroborated-share must be a number in [0, 1]');
  return f;
}

/** Parse `--min-z` / `--corroborated-z` (`flag`): a normalised pair score (a finite number). */
export function parseMinZ(text: string | undefined, flag = '--min-z'): number | undefined {
  if (text === undefined) return undefined;
  const z = Number(text);
  if (text.trim() === '' || !Number.isFinite(z)) throw new CliUsageError(`${flag} must be a number`);
  return z;
}
