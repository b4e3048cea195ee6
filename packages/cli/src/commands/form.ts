import { type CitizenIdentity, parseDate, parseSex } from '@smart-citizen/core';
import { type FillResult, FormsError, defaultFormRegistry, fillForm } from '@smart-citizen/forms';
import { renderFormPdf } from '@smart-citizen/forms/pdf';
import { type CliIO, CliUsageError, defineCommand, printJson } from '../command.js';
import { cliError } from '../errors.js';

const usage = `Usage:
  smart-citizen form list [--json]
  smart-citizen form fill <form-id> --identity FILE.json [--answers FILE.json] [--pdf OUT.pdf]
                          [--today YYYY-MM-DD] [--keep-address] [--json]

Electronic forms of public-service procedures, filled from the card.

  list              the forms known (id, version, title, legal source)
  fill <form-id>    fill a form from an identity (what the card says) and the citizen's answers;
                    prints { data, missing, issues }: nothing is invented, what neither gives is
                    listed in "missing"
  --identity FILE   a CitizenIdentity as JSON; dates may be objects {year, month, day} or text
                    (DD/MM/YYYY), sex M/F or Nam/Nữ
  --answers FILE    the citizen's answers as JSON (nested objects or dotted keys)
  --pdf OUT.pdf     also print the filled form to a PDF file
  --today DATE      reference date for "not in the future" rules (default: today)
  --keep-address    keep addresses as written (no move to the post-2025 units)
  --json            print JSON

Exit codes: 0 filled (possibly with fields missing), 1 error issues found, 2 bad usage or unreadable input.`;

const DATE_FIELDS = ['dateOfBirth', 'issueDate', 'expiryDate'] as const;

async function readJson(io: CliIO, file: string, flag: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch {
    throw new CliUsageError(`${flag}: cannot read ${file}`);
  }
  if (text.length > 1_000_000) throw new CliUsageError(`${flag}: ${file} is larger than 1 MB`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliUsageError(`${flag}: ${file} is not valid JSON`);
  }
}

/** Accept text dates and Vietnamese sex words in an identity file, as people write them. */
function readIdentity(raw: unknown): CitizenIdentity {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FormsError('forms/invalid-identity', 'the identity file must hold a JSON object');
  }
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const f of DATE_FIELDS) {
    const v = out[f];
    if (typeof v === 'string') {
      try {
        out[f] = parseDate(v, 'auto');
      } catch {
        // Left as text: the form reports it as an invalid identity field.
      }
    }
  }
  if (typeof out.sex === 'string' && out.sex !== 'M' && out.sex !== 'F') out.sex = parseSex(out.sex) ?? out.sex;
  return out as CitizenIdentity;
}

function parseToday(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new CliUsageError('--today: expected YYYY-MM-DD');
  }
  return new Date(`${value}T12:00:00+07:00`);
}

function printHuman(io: CliIO, r: FillResult, pdf?: { path: string; pages: number }): void {
  const lines: string[] = [`Form ${r.formId} ${r.version}: ${r.complete ? 'complete' : 'incomplete'}`, '', 'Data:'];
  const walk = (v: unknown, prefix: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, c] of Object.entries(v)) walk(c, prefix ? `${prefix}.${k}` : k);
    } else lines.push(`  ${prefix.padEnd(34)} ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`);
  };
  walk(r.data, '');
  lines.push('', `Missing (${r.missing.length}):`);
  for (const m of r.missing)
    lines.push(`  ${m.path.padEnd(34)} ${m.label.vi} (${m.expectedFrom === 'card' ? 'not on the card' : 'to answer'})`);
  lines.push('', `Issues (${r.issues.length}):`);
  for (const i of r.issues)
    lines.push(`  ${i.severity.padEnd(7)} ${i.code}${i.path ? ` (${i.path})` : ''}: ${i.messageVi}`);
  if (pdf) lines.push('', `PDF: ${pdf.path} (${pdf.pages} page${pdf.pages === 1 ? '' : 's'})`);
  io.stdout(`${lines.join('\n')}\n`);
}

/** `smart-citizen form`: list the forms, fill one from an identity file. */
export const formCommand = defineCommand({
  name: 'form',
  summary: 'list electronic forms; fill one from a card identity and answers (JSON, PDF)',
  usage,
  options: { identity: 'string', answers: 'string', pdf: 'string', today: 'string', 'keep-address': 'boolean' },
  async run({ values, positionals }, io) {
    const [sub, formId, ...extra] = positionals;
    const registry = defaultFormRegistry();
    if (sub === 'list') {
      if (formId !== undefined) throw new CliUsageError('list takes no argument');
      const forms = registry.list();
      if (values.json) printJson(io, { ok: true, forms });
      else {
        const lines = forms.map(
          (f) =>
            `  ${f.id.padEnd(20)} ${f.version.padEnd(7)} ${f.title.vi}\n  ${''.padEnd(28)} ${f.sources.join('; ')}`,
        );
        io.stdout(`Forms (${forms.length}):\n${lines.join('\n')}\n`);
      }
      return 0;
    }
    if (sub !== 'fill')
      throw new CliUsageError(sub === undefined ? 'missing subcommand (list or fill)' : `unknown subcommand '${sub}'`);
    if (formId === undefined) throw new CliUsageError('missing <form-id>');
    if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
    if (values.identity === undefined && values.answers === undefined) {
      throw new CliUsageError('give --identity FILE.json (and/or --answers FILE.json)');
    }
    const today = parseToday(values.today);
    const form = registry.get(formId);
    const identity =
      values.identity === undefined ? undefined : readIdentity(await readJson(io, values.identity, '--identity'));
    const answersRaw = values.answers === undefined ? undefined : await readJson(io, values.answers, '--answers');
    if (
      answersRaw !== undefined &&
      (answersRaw === null || typeof answersRaw !== 'object' || Array.isArray(answersRaw))
    ) {
      throw new FormsError('forms/invalid-answers', 'the answers file must hold a JSON object');
    }
    const input: { identity?: CitizenIdentity; answers?: Record<string, unknown> } = {};
    if (identity) input.identity = identity;
    if (answersRaw) input.answers = answersRaw as Record<string, unknown>;
    const options: Parameters<typeof fillForm>[2] = { registry };
    if (today) options.today = today;
    if (values['keep-address']) options.addressNormalizer = false;
    const result = await fillForm(form, input, options);

    let pdf: { path: string; pages: number; bytes: number } | undefined;
    if (values.pdf !== undefined) {
      const rendered = await renderFormPdf(form, result.data, { registry });
      const { writeFile } = await import('node:fs/promises');
      const { resolve } = await import('node:path');
      try {
        await writeFile(resolve(io.cwd, values.pdf), rendered.pdf);
      } catch (cause) {
        throw cliError('cli/write-failed', `cannot write ${values.pdf}`, { cause });
      }
      result.issues.push(...rendered.issues);
      pdf = { path: values.pdf, pages: rendered.pages, bytes: rendered.pdf.length };
    }
    const hasError = result.issues.some((i) => i.severity === 'error');
    if (values.json) {
      const { addresses, ...rest } = result;
      printJson(io, { ok: !hasError, ...rest, addresses, ...(pdf ? { pdf } : {}) });
    } else printHuman(io, result, pdf);
    return hasError ? 1 : 0;
  },
});
