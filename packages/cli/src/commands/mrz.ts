import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDate, type ParsedMrz, parseMrz } from '@smart-citizen/core';
import { IdCardReader } from '@smart-citizen/idcard';
import { CliUsageError, defineCommand, describeIssue, printJson } from '../command.js';

const usage = `Usage: smart-citizen mrz --text "LINE1\\nLINE2\\nLINE3" [--no-repair] [--today YYYY-MM-DD] [--json]
       smart-citizen mrz <image> [--today YYYY-MM-DD] [--json]

Parse the machine-readable zone of an ID card (ICAO 9303 TD1, 3 lines × 30 characters) with
every check digit, including the Vietnamese specifics (document number = last 9 digits of the
personal number; optional data = the 12 digits, <<, a check digit). OCR confusions (O/0, I/1,
B/8, …, a filler too many or too few) are repaired only where a check digit confirms them.

  <image>           a photo of the back of a CCCD 2021 or Căn cước 2024 card: the card is found,
                    rectified and its three MRZ lines read by OCR (tesseract.js, offline)
  --text <lines>    the three lines, separated by line breaks or by a literal \\n
  --no-repair       report the zone as given, without repairs
  --today <date>    reference date for the century of the dates (default: today)
  --json            print the result as JSON

Exit codes: 0 every check holds, 1 a check or field is invalid (or, for an image, no MRZ could be
read), 2 not a TD1 zone or bad arguments.`;

/** `smart-citizen mrz`: parse and check a TD1 machine-readable zone. */
export const mrzCommand = defineCommand({
  name: 'mrz',
  summary: 'parse and check an ID-card machine-readable zone (TD1) with every check digit',
  usage,
  options: { text: 'string', 'no-repair': 'boolean', today: 'string' },
  async run({ values, positionals }, io) {
    if (values.text === undefined && positionals.length !== 1)
      throw new CliUsageError('give --text or one image of the back of a card');
    if (values.text !== undefined && positionals.length > 0)
      throw new CliUsageError('give --text or an image, not both');
    let today: Date | undefined;
    if (values.today !== undefined) {
      today = new Date(`${values.today}T05:00:00Z`);
      if (Number.isNaN(today.getTime())) throw new CliUsageError('--today: expected YYYY-MM-DD');
    }
    let r: ParsedMrz;
    if (values.text !== undefined) {
      // A text that is not a TD1 zone throws SmartCitizenError mrz/*: runCli prints it, exit 2.
      r = parseMrz(values.text.replace(/\\n/g, '\n'), {
        repair: values['no-repair'] !== true,
        ...(today ? { today } : {}),
      });
    } else {
      const file = positionals[0] as string;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(resolve(io.cwd, file)));
      } catch {
        throw new CliUsageError(`cannot read ${file}`);
      }
      const reader = await IdCardReader.create({ recognizer: 'builtin', ...(today ? { today } : {}) });
      try {
        const side = await reader.readSide(bytes);
        const mrz = side.status === 'read' ? side.mrz : undefined;
        if (!mrz) {
          const why =
            side.status !== 'read'
              ? side.status
              : (side.issues.find((i) => i.code.startsWith('idcard/mrz') || i.path === 'mrz')?.message ??
                `a ${side.documentType} ${side.side} has no MRZ`);
          if (values.json) printJson(io, { status: side.status, mrz: null, issues: side.issues });
          else io.stderr(`smart-citizen mrz: no MRZ read from ${file}: ${why}\n`);
          return 1;
        }
        r = mrz;
      } finally {
        await reader.close();
      }
    }
    if (values.json) {
      printJson(io, r);
    } else {
      const date = (d: typeof r.dateOfBirth) => (d ? formatDate(d, 'dd/mm/yyyy') : '(invalid)');
      const lines = [
        ...r.lines.map((l, i) => `Line ${i + 1}          ${l}`),
        `Document        ${r.documentCode} ${r.issuingState} ${r.documentNumber}`,
        ...(r.personalNumber ? [`Personal number ${r.personalNumber}`] : []),
        `Name            ${r.fullName}`,
        `Date of birth   ${date(r.dateOfBirth)}`,
        `Sex             ${r.sex ?? '(unspecified)'}`,
        `Expiry date     ${date(r.expiryDate)}`,
        `Nationality     ${r.nationality}`,
        `Checks          ${r.checks.map((c) => `${c.name} ${c.valid ? 'ok' : 'FAILED'}`).join(', ')}`,
        ...r.repairs.map(
          (x) => `Repaired        line ${x.line + 1} col ${x.column + 1}: '${x.from}' → '${x.to}' (${x.confirmedBy})`,
        ),
        ...r.issues.map(describeIssue),
        r.valid ? 'Result          valid' : 'Result          NOT VALID',
      ];
      io.stdout(`${lines.join('\n')}\n`);
    }
    return r.valid ? 0 : 1;
  },
});
