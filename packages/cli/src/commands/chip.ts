import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type CertificateInfo,
  type ChipFileName,
  type ChipReadResult,
  ChipReader,
  type MrzKey,
  parseChipFiles,
  readCertificates,
  verifyChipFiles,
} from '@smart-citizen/chip';
import { createPcscTransport } from '@smart-citizen/chip/node';
import { formatDate } from '@smart-citizen/core';
import { type CliIO, CliUsageError, type Command, parseOptions, printJson } from '../command.js';

const usage = `Usage:
  smart-citizen chip read --can NNNNNN [--mrz DOCNO,YYMMDD,YYMMDD] [--reader NAME] [--csca DIR] [--photo FILE] [--json]
  smart-citizen chip parse DIR [--csca DIR] [--json]

read   Read the ICAO 9303 chip of a CCCD / Căn cước in a PC/SC reader (pcscd on Linux): PACE with the
       CAN (last 6 digits of the ID number), BAC with the MRZ key when PACE is refused; then passive,
       chip and active authentication. Prints the identity, the photo, each check and the time per step.
parse  Parse data-group files dumped by other tools (names like DG1.bin, EF_DG13, SOD, EF.COM) and run
       passive authentication on them.

  --can <digits>     card access number (6 digits)
  --mrz <d,b,e>      document number, date of birth and date of expiry as in the MRZ
  --reader <name>    use the first reader whose name contains this text
  --csca <dir>       CSCA certificates (.der, .cer, .crt, .pem) to trust; without it passive
                     authentication says no-trust-anchor
  --photo <file>     write the DG2 portrait there (JPEG or JPEG 2000 as stored)
  --wait <ms>        wait this long for a card (default 10000)
  --json             print the result as JSON

Exit codes: 0 read and every check passed, 1 read but a check failed or had no trust anchor, 2 bad input or no card.`;

async function loadCscas(dir: string | undefined, cwd: string): Promise<CertificateInfo[] | undefined> {
  if (dir === undefined) return undefined;
  const full = resolve(cwd, dir);
  const names = (await readdir(full)).filter((n) => /\.(der|cer|crt|pem)$/i.test(n)).sort();
  if (names.length === 0) throw new CliUsageError(`--csca: no .der/.cer/.crt/.pem file in ${dir}`);
  const out: CertificateInfo[] = [];
  for (const n of names) out.push(...readCertificates(new Uint8Array(await readFile(join(full, n)))));
  return out;
}

function parseMrzKey(text: string | undefined): MrzKey | undefined {
  if (text === undefined) return undefined;
  const [documentNumber, dateOfBirth, dateOfExpiry] = text.split(',');
  if (!documentNumber || !dateOfBirth || !dateOfExpiry) throw new CliUsageError('--mrz: expected DOCNO,YYMMDD,YYMMDD');
  return { documentNumber, dateOfBirth, dateOfExpiry };
}

/** The file a dumped name stands for: DG1.bin, EF_DG13.bin, dg2, EF.SOD, sod.der, EF_COM … */
function fileNameOf(name: string): ChipFileName | undefined {
  const m = /(?:^|[^a-z0-9])(dg(\d{1,2})|sod|com)(?:[^a-z0-9]|$)/i.exec(name.replace(/^EF[._]/i, '_'));
  if (!m) return undefined;
  const key = (m[1] ?? '').toUpperCase();
  return (['COM', 'SOD', 'DG1', 'DG2', 'DG13', 'DG14', 'DG15'] as const).find((k) => k === key);
}

function summary(r: Pick<ChipReadResult, 'identity' | 'mrzData' | 'portrait'>) {
  return {
    identity: r.identity,
    mrz: r.mrzData
      ? { valid: r.mrzData.valid, documentNumber: r.mrzData.documentNumber, personalNumber: r.mrzData.personalNumber }
      : undefined,
    photo: r.portrait
      ? {
          format: r.portrait.format,
          width: r.portrait.width,
          height: r.portrait.height,
          bytes: r.portrait.bytes.length,
        }
      : undefined,
  };
}

function exitCode(r: Pick<ChipReadResult, 'authentication'>): number {
  const a = r.authentication;
  return a.passive.status === 'passed' && a.chip.status !== 'failed' && a.active.status !== 'failed' ? 0 : 1;
}

function printText(
  io: CliIO,
  r: ChipReadResult | (Pick<ChipReadResult, 'identity' | 'authentication' | 'issues'> & { timings?: undefined }),
): void {
  const id = r.identity;
  const date = (d: typeof id.dateOfBirth) => (d ? formatDate(d, 'dd/mm/yyyy') : '');
  const a = r.authentication;
  const lines = [
    `ID number       ${id.idNumber ?? ''}`,
    `Name            ${id.fullName ?? ''}`,
    `Date of birth   ${date(id.dateOfBirth)}`,
    `Passive auth    ${a.passive.status} (hashes ${a.passive.dataGroups.map((d) => `DG${d.dataGroup} ${d.status}`).join(', ')}; signature ${a.passive.signature}; signer ${a.passive.signer})`,
    `Chip auth       ${a.chip.status}`,
    `Active auth     ${a.active.status}`,
    ...(r.timings
      ? [
          `Time            ${Object.entries(r.timings)
            .map(([k, v]) => `${k} ${Math.round(v ?? 0)} ms`)
            .join(', ')}`,
        ]
      : []),
    ...[...r.issues, ...a.passive.issues].map((i) => `  ${i.severity.padEnd(7)} ${i.code}: ${i.message}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
}

async function readCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(
    argv,
    { can: 'string', mrz: 'string', reader: 'string', csca: 'string', photo: 'string', wait: 'string' },
    false,
  );
  const mrz = parseMrzKey(values.mrz);
  if (values.can === undefined && !mrz) throw new CliUsageError('give --can (and/or --mrz)');
  if (values.can !== undefined && !/^\d{6}$/.test(values.can)) throw new CliUsageError('--can: 6 digits');
  const cscas = await loadCscas(values.csca, io.cwd);
  const waitMs = values.wait === undefined ? 10_000 : Number(values.wait);
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new CliUsageError('--wait: milliseconds');
  const t0 = performance.now();
  const transport = await createPcscTransport({ ...(values.reader ? { reader: values.reader } : {}), waitMs });
  const reader = await ChipReader.create({ transport });
  let r: ChipReadResult;
  try {
    r = await reader.read({
      key: { ...(values.can ? { can: values.can } : {}), ...(mrz ? { mrz } : {}) },
      ...(cscas ? { cscas } : {}),
    });
  } finally {
    await reader.close();
  }
  const ms = Math.round(performance.now() - t0);
  if (values.photo && r.portrait) await writeFile(resolve(io.cwd, values.photo), r.portrait.bytes);
  if (values.json) {
    printJson(io, {
      reader: transport.readerName,
      accessControl: r.accessControl,
      ...summary(r),
      authentication: r.authentication,
      timings: Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round((v ?? 0) * 10) / 10])),
      apdus: r.apdus,
      ms,
      issues: r.issues,
    });
  } else printText(io, r);
  return exitCode(r);
}

async function parseCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, { csca: 'string' });
  const dir = positionals[0];
  if (!dir) throw new CliUsageError('chip parse: give the folder of data-group files');
  const full = resolve(io.cwd, dir);
  const files: Partial<Record<ChipFileName, Uint8Array>> = {};
  for (const name of (await readdir(full)).sort()) {
    const which = fileNameOf(name);
    if (which) files[which] = new Uint8Array(await readFile(join(full, name)));
  }
  if (Object.keys(files).length === 0) throw new CliUsageError(`chip parse: no DGn / SOD / COM file in ${dir}`);
  const cscas = await loadCscas(values.csca, io.cwd);
  const passive = await verifyChipFiles(files, cscas ? { cscas } : {});
  const parsed = parseChipFiles(files);
  const result = {
    files: Object.keys(files),
    ...summary(parsed),
    authentication: {
      passive,
      chip: { status: 'not-available' as const, issues: [] },
      active: { status: 'not-available' as const, issues: [] },
    },
    issues: parsed.issues,
  };
  if (values.json) printJson(io, result);
  else printText(io, result);
  return passive.status === 'passed' ? 0 : 1;
}

/** `smart-citizen chip`: read and authenticate a chip through PC/SC, or parse dumped data groups. */
export const chipCommand: Command = {
  name: 'chip',
  summary:
    'read and authenticate the ID-card chip (PACE/BAC, passive/chip/active authentication), or parse dumped data groups',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === 'read') return readCommand(rest, io);
    if (sub === 'parse') return parseCommand(rest, io);
    throw new CliUsageError('chip: give read or parse');
  },
};
