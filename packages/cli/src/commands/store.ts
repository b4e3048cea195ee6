import {
  type AuditLog,
  type CitizenIdentity,
  DEDUPE_PREFILTER,
  type FullIdentityStore,
  type IdentityStore,
  type IdentityStoreOptions,
  cosineTemplateIndex,
  decodeEmbedding,
  type Issue,
  type KeyProvider,
  type PartialDate,
  SmartCitizenError,
  type StoredIdentity,
  isSmartCitizenError,
  normalizeStoredIdentity,
  parseDate,
  parseSex,
  validateIdNumber,
} from '@smart-citizen/core';
import { type CliIO, CliUsageError, type OptionValues, defineCommand, printJson } from '../command.js';
import { cliError } from '../errors.js';
import {
  DEDUPE_PURPOSE,
  type EnrolOutcome,
  enrolFaces,
  parseCorroboratedBy,
  parseCorroboratedShare,
  parseThreshold,
  readEnrolBatch,
  parseMinZ,
  runDedupeJob,
  storeKeysFromEnv,
} from './storeFaces.js';

const usage = `Usage:
  smart-citizen store import <FILE.jsonl> [--store sqlite:PATH|postgres://…] [--schema NAME] [--json]
  smart-citizen store get <id-number|old-cmnd-number> [--store …] [--schema NAME] [--purpose TEXT] [--json]
  smart-citizen store enrol-face <id-number> <image> [--store …] [--purpose TEXT] [--json]
  smart-citizen store enrol-face --batch FILE.tsv [--store …] [--purpose TEXT] [--json]
  smart-citizen store dedupe [--store …] [--threshold T] [--min-z Z [--corroborated-z Z2
                             [--corroborated-by N] [--corroborated-share F]]]
                             [--report FILE.csv|FILE.html] [--checkpoint FILE] [--purpose TEXT] [--json]

Import citizens into the identity store, or read one back.

  import   one JSON object per line with CitizenIdentity fields (idNumber required; dates as
           DD/MM/YYYY text or {year, month?, day?}; sex as Nam/Nữ/M/F). Every line is either
           imported or rejected with its line number and issue codes; progress goes to stderr.
           Valid lines are written in transactions of 1,000.
  get      by the 12-digit number, or by the old 9-digit CMND number. The read is recorded in
           the store's audit log with --purpose.

  enrol-face  embed the face of <image> (default face profile), create the account if it is
           new, record consent (scope face + face-search, --purpose, default
           account-deduplication), seal the template through the store, audit. --batch reads
           "id-number<TAB>image" lines (images relative to FILE; '#' comments) in one process,
           progress on stderr, one result per line: enrolled, bad-id, unreadable-image,
           no-face, already-enrolled, error.
  dedupe   search every consenting account's face 1:N and group accounts whose faces match
           (threshold default: the default face profile's photo threshold), and list accounts
           whose card data agree while their faces do not. Nothing is merged. --report writes
           a CSV or HTML review sheet; --checkpoint FILE makes the job resumable (Ctrl-C stops
           at the next page; run again to go on). --min-z Z adds a second check per pair: its
           score against both accounts' impostor spread (needs 1,000 faces or more; the
           measured setting is in the core README, "Account deduplication": --threshold 0.5
           --min-z 5 --corroborated-z 3.85 --corroborated-by 2 --corroborated-share 0.5 met
           both targets at 1,000,000 but was read off the whole test gallery; chosen on a
           tuning half by the bench's written-down rule, --min-z 5.35 --corroborated-z 3.525
           --corroborated-by 3 --corroborated-share 0.5, one report-half cluster of 6 was wrong).
           --corroborated-z Z2 (below Z) lets a pair between Z2 and Z join when a third
           account matches both of its accounts at Z2 or more; --corroborated-by N asks for
           N such accounts (default 1), --corroborated-share F for them to be at least F of
           all the accounts either matches at Z2 (default 0).
           Face templates are encrypted: both need SMART_CITIZEN_STORE_KEY=KEYID:HEX64.

  --store <url>      sqlite:PATH (default sqlite:smart-citizen.db) or postgres://user@host:port/db
  --schema <name>    PostgreSQL schema (default public)
  --purpose <text>   why the record is read, for the audit log (default cli-lookup)
  --json             print the result as JSON

Exit codes: 0 done, 1 some lines rejected / citizen not found / an enrolment failed / dedupe
stopped or without consent, 2 bad usage or unreadable input.`;

type DateField = 'dateOfBirth' | 'issueDate' | 'expiryDate';
const dateFields: readonly DateField[] = ['dateOfBirth', 'issueDate', 'expiryDate'];
const BATCH = 1000;

interface OpenStore {
  store: FullIdentityStore;
  audit: AuditLog;
  /** The store URL without credentials. */
  label: string;
  close(): Promise<void>;
}

/** Open the store named by `--store`. Adapters are imported lazily: `get` on SQLite never loads pg. */
async function openStore(
  url: string,
  schema: string | undefined,
  cwd: string,
  keys?: KeyProvider,
  indexes?: IdentityStoreOptions['indexes'],
): Promise<OpenStore> {
  if (url.startsWith('sqlite:')) {
    const { resolve } = await import('node:path');
    const file = url.slice('sqlite:'.length);
    if (!file) throw new CliUsageError('--store sqlite:PATH needs a path');
    const path = file === ':memory:' ? file : resolve(cwd, file);
    const { createSqliteIdentityStore, createSqliteAuditLog } = await import('@smart-citizen/adapter-sqlite');
    const store = createSqliteIdentityStore({ path, ...(keys ? { keys } : {}), ...(indexes ? { indexes } : {}) });
    const audit = createSqliteAuditLog({ database: store.database });
    return {
      store,
      audit,
      label: `sqlite:${file}`,
      close: async () => {
        await audit.close();
        await store.close();
      },
    };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { createPostgresIdentityStore, createPostgresAuditLog } = await import(
      '@smart-citizen/adapter-postgres/store'
    );
    const store = await createPostgresIdentityStore({
      connectionString: url,
      faceSearch: 'scan',
      applicationName: 'smart-citizen-cli',
      ...(keys ? { keys } : {}),
      ...(indexes ? { indexes } : {}),
      ...(schema ? { schema } : {}),
    });
    const audit = await createPostgresAuditLog({ pool: store.pool, ...(schema ? { schema } : {}) });
    const u = new URL(url);
    return {
      store,
      audit,
      label: `${u.protocol}//${u.host}${u.pathname}`,
      close: async () => {
        await audit.close();
        await store.close();
      },
    };
  }
  throw new CliUsageError('--store must be sqlite:PATH or a postgres:// URL');
}

function actor(): string {
  return `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`.slice(0, 200);
}

/**
 * Turn one JSONL object into an identity, with the issues that make it unusable.
 * @internal exported for tests
 */
export function identityFromLine(value: unknown): { identity?: StoredIdentity; issues: Issue[] } {
  const issues: Issue[] = [];
  const bad = (code: string, message: string, path?: string) =>
    issues.push(path === undefined ? { code, severity: 'error', message } : { code, severity: 'error', message, path });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('import/not-an-object', 'the line is not a JSON object');
    return { issues };
  }
  const raw: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (typeof raw.idNumber === 'string') raw.idNumber = raw.idNumber.replace(/\s+/g, '');
  if (typeof raw.oldIdNumber === 'string') raw.oldIdNumber = raw.oldIdNumber.replace(/\s+/g, '');
  for (const f of dateFields) {
    const v = raw[f];
    if (typeof v === 'string') {
      try {
        raw[f] = parseDate(v, 'auto') satisfies PartialDate;
      } catch (err) {
        bad(isSmartCitizenError(err) ? err.code : 'date/malformed', `${f} is not a date`, f);
      }
    }
  }
  if (typeof raw.sex === 'string') {
    const s = parseSex(raw.sex);
    if (s) raw.sex = s;
    else bad('sex/unknown', 'sex is not Nam/Nữ/M/F', 'sex');
  }
  if (issues.length) return { issues };
  let identity: StoredIdentity;
  try {
    identity = normalizeStoredIdentity(raw as unknown as StoredIdentity, 'cli');
  } catch (err) {
    const field = isSmartCitizenError(err) ? (err.details?.field as string | undefined) : undefined;
    bad(isSmartCitizenError(err) ? err.code : 'import/invalid', 'invalid identity', field);
    return { issues };
  }
  const v = validateIdNumber(identity.idNumber, {
    ...(identity.dateOfBirth ? { dateOfBirth: identity.dateOfBirth } : {}),
    ...(identity.sex ? { sex: identity.sex } : {}),
  });
  issues.push(...v.issues);
  return issues.some((i) => i.severity === 'error') ? { issues } : { identity, issues };
}

interface Rejected {
  line: number;
  codes: string[];
}

async function runImport(file: string, values: Values, io: CliIO): Promise<number> {
  const { resolve } = await import('node:path');
  const { createReadStream } = await import('node:fs');
  const { stat } = await import('node:fs/promises');
  const { createInterface } = await import('node:readline');
  const path = resolve(io.cwd, file);
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
  } catch (cause) {
    throw cliError('cli/unreadable-input', `cannot read ${file}`, { cause });
  }
  const opened = await openStore(values.store ?? 'sqlite:smart-citizen.db', values.schema, io.cwd);
  const rejected: Rejected[] = [];
  const warnings = new Map<string, number>();
  let lines = 0;
  let blank = 0;
  let imported = 0;
  let pending: StoredIdentity[] = [];
  let pendingLines: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    try {
      if (opened.store.upsertMany) await opened.store.upsertMany(pending);
      else for (const p of pending) await opened.store.upsert(p);
    } catch (err) {
      // The store's own code (store/*, a CoreErrorCode) passes through, with how far the import got.
      throw new SmartCitizenError(
        isSmartCitizenError(err) ? err.code : 'store/backend-error',
        `writing lines ${pendingLines[0]}–${pendingLines[pendingLines.length - 1]} failed; ${imported} citizens from earlier lines were committed`,
        { pkg: 'cli', cause: err, details: { committed: imported, firstFailedLine: pendingLines[0] } },
      );
    }
    imported += pending.length;
    pending = [];
    pendingLines = [];
  };
  try {
    const rl = createInterface({
      input: createReadStream(path, { encoding: 'utf8' }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const text of rl) {
      lines++;
      if (text.trim() === '') {
        blank++;
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        rejected.push({ line: lines, codes: ['import/bad-json'] });
        continue;
      }
      const r = identityFromLine(value);
      if (!r.identity) {
        rejected.push({
          line: lines,
          codes: [...new Set(r.issues.filter((i) => i.severity === 'error').map((i) => i.code))],
        });
        continue;
      }
      for (const i of r.issues) warnings.set(i.code, (warnings.get(i.code) ?? 0) + 1);
      if (seen.has(r.identity.idNumber)) duplicates++;
      seen.add(r.identity.idNumber);
      pending.push(r.identity);
      pendingLines.push(lines);
      if (pending.length >= BATCH) await flush();
      if (lines % 10_000 === 0)
        io.stderr(`store import: ${lines} lines read, ${imported} imported, ${rejected.length} rejected\n`);
    }
    await flush();
    io.stderr(`store import: ${lines} lines read, ${imported} imported, ${rejected.length} rejected\n`);
    await opened.audit.append({
      actor: actor(),
      action: 'identity.import',
      purpose: 'bulk import',
      details: { lines, imported, rejected: rejected.length },
    });
  } finally {
    await opened.close();
  }
  const result = {
    ok: rejected.length === 0,
    store: opened.label,
    lines,
    blank,
    imported,
    duplicates,
    rejectedCount: rejected.length,
    rejected,
    warnings: Object.fromEntries(warnings),
  };
  if (values.json) printJson(io, result);
  else {
    const out = [
      `Store      ${result.store}`,
      `Lines      ${lines} (${blank} blank)`,
      `Imported   ${imported}${duplicates ? ` (${duplicates} repeated ID numbers: the last line wins)` : ''}`,
      `Rejected   ${rejected.length}`,
      ...rejected.slice(0, 50).map((r) => `  line ${r.line}: ${r.codes.join(', ')}`),
      ...(rejected.length > 50 ? [`  … ${rejected.length - 50} more (use --json for all)`] : []),
      ...[...warnings].map(([code, n]) => `Warning    ${code} × ${n}`),
    ];
    io.stdout(`${out.join('\n')}\n`);
  }
  return rejected.length === 0 ? 0 : 1;
}

function formatDate(d: PartialDate | undefined): string {
  if (!d) return '';
  return [d.day, d.month]
    .filter((x) => x !== undefined)
    .map((x) => String(x).padStart(2, '0'))
    .concat(String(d.year))
    .join('/');
}

async function runGet(id: string, values: Values, io: CliIO): Promise<number> {
  const key = id.replace(/\s+/g, '');
  if (!/^(\d{9}|\d{12})$/.test(key)) throw new CliUsageError('give a 12-digit ID number or a 9-digit CMND number');
  const opened = await openStore(values.store ?? 'sqlite:smart-citizen.db', values.schema, io.cwd);
  let records: Awaited<ReturnType<IdentityStore['findByOldIdNumber']>>;
  try {
    if (key.length === 12) {
      const r = await opened.store.get(key);
      records = r ? [r] : await opened.store.findByOldIdNumber(key);
    } else {
      records = await opened.store.findByOldIdNumber(key);
    }
    for (const r of records) {
      await opened.audit.append({
        actor: actor(),
        action: 'identity.read',
        subject: r.identity.idNumber,
        purpose: values.purpose ?? 'cli-lookup',
        details: { via: 'cli', by: key.length === 12 && r.identity.idNumber === key ? 'id-number' : 'old-id-number' },
      });
    }
  } finally {
    await opened.close();
  }
  if (records.length === 0) {
    if (values.json)
      printJson(io, { ok: false, error: { code: 'store/not-found', message: 'no citizen with that number' } });
    else io.stderr('smart-citizen store get: no citizen with that number\n');
    return 1;
  }
  if (values.json) {
    printJson(io, records.length === 1 ? { ok: true, record: records[0] } : { ok: true, records });
    return 0;
  }
  for (const r of records) {
    const i: CitizenIdentity = r.identity;
    const rows: [string, string | undefined][] = [
      ['ID number', i.idNumber],
      ['Old CMND', i.oldIdNumber],
      ['Full name', i.fullName],
      ['Date of birth', formatDate(i.dateOfBirth)],
      ['Sex', i.sex === 'F' ? 'Nữ' : i.sex === 'M' ? 'Nam' : undefined],
      ['Nationality', i.nationality],
      ['Place of origin', i.placeOfOrigin],
      ['Residence', i.placeOfResidence],
      ['Card type', i.cardType],
      ['Updated', new Date(r.updatedAt).toISOString()],
    ];
    io.stdout(
      `${rows
        .filter(([, v]) => v)
        .map(([k, v]) => `${k.padEnd(16)}${v}`)
        .join('\n')}\n`,
    );
  }
  return 0;
}

const options = {
  store: 'string',
  schema: 'string',
  purpose: 'string',
  batch: 'string',
  threshold: 'string',
  'min-z': 'string',
  'corroborated-z': 'string',
  'corroborated-by': 'string',
  'corroborated-share': 'string',
  report: 'string',
  checkpoint: 'string',
} as const;
type Values = OptionValues<typeof options>;

async function runEnrolFace(args: string[], values: Values, io: CliIO): Promise<number> {
  const { resolve } = await import('node:path');
  const { readFile, stat } = await import('node:fs/promises');
  if (values.batch === undefined && args.length !== 2)
    throw new CliUsageError('enrol-face needs <id-number> <image> or --batch FILE');
  if (values.batch !== undefined && args.length > 0)
    throw new CliUsageError('give either --batch FILE or <id-number> <image>');
  const keys = storeKeysFromEnv();
  const batch = values.batch === undefined ? undefined : resolve(io.cwd, values.batch);
  if (batch) {
    try {
      if (!(await stat(batch)).isFile()) throw new Error('not a file');
    } catch (cause) {
      throw cliError('cli/unreadable-input', `cannot read ${values.batch}`, { cause });
    }
  }
  const { FaceVerifier } = await import('@smart-citizen/face');
  const fv = await FaceVerifier.create({ profile: 'default' });
  const opened = await openStore(values.store ?? 'sqlite:smart-citizen.db', values.schema, io.cwd, keys);
  const counts = new Map<string, number>();
  let n = 0;
  const onResult = (r: EnrolOutcome) => {
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    if (++n % 100 === 0) io.stderr(`store enrol-face: ${n} lines, ${counts.get('enrolled') ?? 0} enrolled\n`);
    if (values.json) printJson(io, r);
    else io.stdout(`line ${r.line}\t${r.idNumber ?? '-'}\t${r.status}${'codes' in r ? ` ${r.codes.join(',')}` : ''}\n`);
  };
  try {
    const items = batch
      ? readEnrolBatch(batch, onResult)
      : [{ line: 1, idNumber: args[0] as string, image: resolve(io.cwd, args[1] as string) }];
    await enrolFaces(opened, fv, items, {
      actor: actor(),
      purpose: values.purpose ?? DEDUPE_PURPOSE,
      readImage: async (p) => new Uint8Array(await readFile(p)),
      onResult,
    });
  } finally {
    await opened.close();
    await fv.close();
  }
  const summary = { ok: n > 0 && counts.get('enrolled') === n, lines: n, ...Object.fromEntries(counts) };
  if (batch) {
    io.stderr(`store enrol-face: ${n} lines, ${counts.get('enrolled') ?? 0} enrolled\n`);
    if (values.json) printJson(io, { summary });
  }
  return summary.ok ? 0 : 1;
}

async function runDedupe(args: string[], values: Values, io: CliIO): Promise<number> {
  if (args.length > 0) throw new CliUsageError(`unexpected argument ${args[0]}`);
  const { resolve } = await import('node:path');
  const { defaultProfile } = await import('@smart-citizen/face');
  const threshold = parseThreshold(values.threshold, defaultProfile.thresholds.photo);
  const minZ = parseMinZ(values['min-z']);
  const corroboratedZ = parseMinZ(values['corroborated-z'], '--corroborated-z');
  if (corroboratedZ !== undefined && (minZ === undefined || corroboratedZ > minZ)) {
    throw new CliUsageError('--corroborated-z needs --min-z and must not be above it');
  }
  const corroboratedBy = parseCorroboratedBy(values['corroborated-by']);
  const corroboratedShare = parseCorroboratedShare(values['corroborated-share']);
  if ((corroboratedBy !== undefined || corroboratedShare !== undefined) && corroboratedZ === undefined) {
    throw new CliUsageError('--corroborated-by and --corroborated-share need --corroborated-z');
  }
  if (values.report !== undefined && !/\.(csv|html?)$/i.test(values.report)) {
    throw new CliUsageError('--report must name a .csv or .html file');
  }
  const keys = storeKeysFromEnv();
  // The job searches with sign codes and a batch scan on two threads, not the exact scan per account.
  const opened = await openStore(values.store ?? 'sqlite:smart-citizen.db', values.schema, io.cwd, keys, {
    face: cosineTemplateIndex(decodeEmbedding, DEDUPE_PREFILTER),
  });
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  let result: Awaited<ReturnType<typeof runDedupeJob>>;
  try {
    result = await runDedupeJob(
      opened,
      {
        threshold,
        ...(minZ !== undefined ? { minZ } : {}),
        ...(corroboratedZ !== undefined ? { corroboratedZ } : {}),
        ...(corroboratedBy !== undefined ? { corroboratedBy } : {}),
        ...(corroboratedShare !== undefined ? { corroboratedShare } : {}),
        purpose: values.purpose ?? DEDUPE_PURPOSE,
        actor: actor(),
        signal: ac.signal,
        ...(values.checkpoint ? { checkpoint: resolve(io.cwd, values.checkpoint) } : {}),
        ...(values.report ? { report: resolve(io.cwd, values.report) } : {}),
      },
      io,
    );
  } finally {
    process.off('SIGINT', stop);
    await opened.close();
  }
  if (values.json) printJson(io, result);
  else if (result.status === 'complete') {
    io.stdout(
      `${result.clusters.length} face clusters, ${result.conflicts.length} card conflicts (threshold ${threshold}); ${result.stats.searched} of ${result.stats.accounts} accounts searched\n`,
    );
  } else io.stdout(`${result.status}\n`);
  return result.status === 'complete' ? 0 : 1;
}

/** `smart-citizen store`: import citizens from JSONL, read one back. */
export const storeCommand = defineCommand({
  name: 'store',
  summary: 'identity store: import citizens from JSONL, get one by ID number (SQLite or PostgreSQL)',
  usage,
  options,
  async run(parsed, io) {
    const [sub, arg, ...extra] = parsed.positionals;
    if (sub === 'enrol-face') return runEnrolFace(parsed.positionals.slice(1), parsed.values, io);
    if (sub === 'dedupe') return runDedupe(parsed.positionals.slice(1), parsed.values, io);
    if (extra.length) throw new CliUsageError(`unexpected argument ${extra[0]}`);
    if (sub === 'import') {
      if (!arg) throw new CliUsageError('missing <FILE.jsonl>');
      return runImport(arg, parsed.values, io);
    }
    if (sub === 'get') {
      if (!arg) throw new CliUsageError('missing <id-number>');
      return runGet(arg, parsed.values, io);
    }
    throw new CliUsageError(
      sub ? `unknown subcommand ${sub}` : 'missing subcommand (import, get, enrol-face or dedupe)',
    );
  },
});
