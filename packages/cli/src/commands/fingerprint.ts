import type { FingerprintTemplate } from '@smart-citizen/fingerprint';
import { type CliIO, CliUsageError, type OptionValues, defineCommand, printJson } from '../command.js';
import { parseJsonFile, readBytes } from '../files.js';
import { loadOnce, runPairsFile } from '../pairsFile.js';

const usage = `Usage:
  smart-citizen fingerprint extract <image> [--dpi N] [--format iso|ansi|native|json] [-o FILE] [--json]
  smart-citizen fingerprint match <a> <b> [--dpi N] [--threshold T] [--json]
  smart-citizen fingerprint match --pairs FILE [--dpi N] [--threshold T] [--json]

  extract    Minutiae template of a fingerprint image (dark ridges). --format iso writes
             ISO/IEC 19794-2:2005, ansi ANSI/INCITS 378-2004, native the package's compact
             format, json the template as JSON (default). Binary formats need -o FILE.
  match      Compare two fingerprints. <a> and <b> are images (at --dpi) or templates (ISO,
             ANSI, native or JSON, recognised from their bytes). JSON: { score, match,
             threshold, ms, pairedMinutiae }; exit 0 when compared. With --pairs, FILE holds
             one "a<TAB>b" pair per line (paths relative to FILE's folder; '#' starts a
             comment); each file is read once and one JSON line is printed per pair.

Options:
  --dpi N          Resolution of image inputs (default 500; 250–1200)
  --threshold T    Calibrated score for a match (default 30 ≈ false match rate 0.1%)
  -o, --output F   Where extract writes the template
  --json           JSON on stdout`;

/** A template from a file: a minutiae record, a native template, JSON, or an image to extract. */
async function loadTemplate(path: string, dpi: number): Promise<FingerprintTemplate> {
  const fp = await import('@smart-citizen/fingerprint');
  const bytes = await readBytes(path);
  const head = String.fromCharCode(...bytes.slice(0, 4));
  if (head === 'FMR\u0000') return fp.readMinutiaeRecord(bytes);
  if (head === 'SCF1') return fp.decodeTemplate(bytes);
  if (bytes[0] === 0x7b) return fp.parseTemplate(parseJsonFile(bytes, path));
  const { decodeImage } = await import('@smart-citizen/image');
  return fp.extractTemplate(await decodeImage(bytes), { dpi });
}

const round1 = (v: number) => Math.round(v * 10) / 10;

const options = {
  pairs: 'string',
  dpi: 'string',
  threshold: 'string',
  format: 'string',
  output: { type: 'string', short: 'o' },
} as const;
type Values = OptionValues<typeof options>;

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliUsageError(`--${name} must be a number, got ${value}`);
  return n;
}

async function runExtract(args: string[], values: Values, io: CliIO): Promise<number> {
  const { resolve } = await import('node:path');
  const [image] = args;
  if (image === undefined || args.length > 1) throw new CliUsageError('extract needs one <image>');
  const format = values.format ?? 'json';
  if (!['iso', 'ansi', 'native', 'json'].includes(format)) {
    throw new CliUsageError(`--format must be iso, ansi, native or json, got ${format}`);
  }
  if (format !== 'json' && values.output === undefined) throw new CliUsageError(`--format ${format} needs -o FILE`);
  const fp = await import('@smart-citizen/fingerprint');
  const { decodeImage } = await import('@smart-citizen/image');
  const dpi = numberOption(values.dpi, 'dpi', 500);
  const t0 = performance.now();
  const template = fp.extractTemplate(await decodeImage(await readBytes(resolve(io.cwd, image))), { dpi });
  const ms = performance.now() - t0;
  const bytes =
    format === 'iso'
      ? fp.writeMinutiaeRecord(template, 'iso-19794-2-2005')
      : format === 'ansi'
        ? fp.writeMinutiaeRecord(template, 'ansi-378-2004')
        : format === 'native'
          ? fp.encodeTemplate(template)
          : new TextEncoder().encode(`${JSON.stringify(template)}\n`);
  if (values.output !== undefined) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(resolve(io.cwd, values.output), bytes);
  }
  const summary = {
    minutiae: template.minutiae.length,
    width: template.width,
    height: template.height,
    format,
    bytes: bytes.length,
    ms: round1(ms),
  };
  if (values.output === undefined) io.stdout(new TextDecoder().decode(bytes));
  else if (values.json) printJson(io, summary);
  else
    io.stdout(`${summary.minutiae} minutiae → ${values.output} (${format}, ${bytes.length} bytes, ${summary.ms} ms)\n`);
  return 0;
}

async function runMatch(args: string[], values: Values, io: CliIO): Promise<number> {
  const { resolve } = await import('node:path');
  const fp = await import('@smart-citizen/fingerprint');
  const dpi = numberOption(values.dpi, 'dpi', 500);
  const threshold = numberOption(values.threshold, 'threshold', fp.DEFAULT_THRESHOLD);
  const compare = (a: FingerprintTemplate, b: FingerprintTemplate, t0: number) => {
    const r = fp.matchTemplates(a, b, { threshold });
    return {
      score: r.score,
      match: r.match,
      threshold: r.threshold,
      ms: round1(performance.now() - t0),
      pairedMinutiae: r.pairedMinutiae,
    };
  };
  if (values.pairs === undefined) {
    const [a, b] = args;
    if (a === undefined || b === undefined || args.length > 2)
      throw new CliUsageError('match needs <a> <b> or --pairs FILE');
    const t0 = performance.now();
    const r = compare(await loadTemplate(resolve(io.cwd, a), dpi), await loadTemplate(resolve(io.cwd, b), dpi), t0);
    if (values.json) printJson(io, r);
    else io.stdout(`${r.match ? 'match' : 'no match'} score=${r.score} threshold=${r.threshold} ${r.ms} ms\n`);
    return 0;
  }
  if (args.length > 0) throw new CliUsageError('give either --pairs FILE or two files, not both');
  const once = loadOnce<FingerprintTemplate>();
  return runPairsFile({
    file: values.pairs,
    io,
    json: values.json,
    keys: ['a', 'b'],
    load: (path) => once(path, () => loadTemplate(path, dpi)),
    compare: (a, b, t0) => {
      const r = compare(a, b, t0);
      return { json: r, text: `${r.match ? 'match' : 'no match'}\t${r.score}`, failed: false };
    },
  });
}

/** `smart-citizen fingerprint`: extract templates and match fingerprints. */
export const fingerprintCommand = defineCommand({
  name: 'fingerprint',
  summary: 'Extract fingerprint templates (ISO/ANSI/native/JSON) and match fingerprints 1:1',
  usage,
  options,
  async run({ values, positionals }, io) {
    const [sub, ...rest] = positionals;
    if (sub === 'extract') return runExtract(rest, values, io);
    if (sub === 'match') return runMatch(rest, values, io);
    throw new CliUsageError(`unknown fingerprint subcommand ${sub ?? '(none)'}; use extract or match`);
  },
});
