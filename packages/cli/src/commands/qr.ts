import { formatDate, type Issue, isSmartCitizenError, issue } from '@smart-citizen/core';
import { type QrFormat, type ReadCardQrResult, readCardQr } from '@smart-citizen/qr';
import { CliUsageError, defineCommand, describeIssue, printJson } from '../command.js';

const usage = `Usage: smart-citizen qr <image...> [--pdf417] [--any] [--budget MS] [--today YYYY-MM-DD] [--json]

Read the QR code of a chip CCCD (front) or Căn cước card (back) from photos or scans and parse
it into an identity; with --pdf417 also the PDF417 barcode of a 2016 CCCD (raw text).

  <image...>        JPEG, PNG, WebP, BMP or GIF files
  --pdf417          also look for PDF417 barcodes
  --any             accept any decoded text, not only card payloads
  --budget <ms>     time budget per image (default 300)
  --today <date>    reference date for "in the future" checks (default: today)
  --json            print one JSON object per image:
                    { file, ok, text, format, identity, issues, strategy, ms }

Exit codes: 0 every image gave a card payload, 1 some did not, 2 bad usage or unreadable file.`;

interface QrLine {
  file: string;
  ok: boolean;
  text: string | null;
  format: QrFormat | null;
  identity: ReadCardQrResult['identity'] | null;
  issues: Issue[];
  strategy: string | null;
  ms: number;
}

function describe(line: QrLine): string {
  const out = [
    `${line.file}: ${line.ok ? 'OK' : 'NOT READ'} (${line.ms.toFixed(0)} ms${line.strategy ? `, ${line.strategy}` : ''})`,
  ];
  const id = line.identity;
  if (id) {
    if (id.idNumber) out.push(`  Số định danh   ${id.idNumber}`);
    if (id.oldIdNumber) out.push(`  Số CMND        ${id.oldIdNumber}`);
    if (id.fullName) out.push(`  Họ và tên      ${id.fullName}`);
    if (id.dateOfBirth) out.push(`  Ngày sinh      ${formatDate(id.dateOfBirth)}`);
    if (id.sex) out.push(`  Giới tính      ${id.sex === 'M' ? 'Nam' : 'Nữ'}`);
    if (id.placeOfResidence) out.push(`  Nơi cư trú     ${id.placeOfResidence}`);
    if (id.issueDate) out.push(`  Ngày cấp       ${formatDate(id.issueDate)}`);
  } else if (line.text !== null) {
    out.push(`  ${line.format ?? 'text'}: ${line.text}`);
  }
  for (const i of line.issues) out.push(describeIssue(i));
  return `${out.join('\n')}\n`;
}

/** `smart-citizen qr`: read and parse card QR codes from image files. */
export const qrCommand = defineCommand({
  name: 'qr',
  summary: 'read the QR code (or 2016 PDF417) of card photos and parse the identity',
  usage,
  options: { pdf417: 'boolean', any: 'boolean', budget: 'string', today: 'string' },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliUsageError('missing <image>');
    const budget = values.budget === undefined ? 300 : Number(values.budget);
    if (!Number.isFinite(budget) || budget < 0)
      throw new CliUsageError('--budget must be a number of milliseconds >= 0');
    let today: Date | undefined;
    if (values.today !== undefined) {
      today = new Date(`${values.today}T00:00:00Z`);
      if (Number.isNaN(today.getTime())) throw new CliUsageError('--today must be YYYY-MM-DD');
    }
    const formats: QrFormat[] = values.pdf417 ? ['QRCode', 'PDF417'] : ['QRCode'];
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    let exit = 0;
    for (const file of positionals) {
      const t0 = performance.now();
      let line: QrLine;
      try {
        const bytes = new Uint8Array(await readFile(resolve(io.cwd, file)));
        const r = await readCardQr(bytes, {
          formats,
          timeBudgetMs: budget,
          accept: values.any ? 'any' : 'card',
          ...(today ? { today } : {}),
        });
        line = {
          file,
          ok: r.ok,
          text: r.text ?? null,
          format: r.format ?? null,
          identity: r.identity ?? null,
          issues: r.issues,
          strategy: r.strategy ?? null,
          ms: Math.round(r.ms * 10) / 10,
        };
        if (!r.ok || r.issues.some((i) => i.severity === 'error')) exit = Math.max(exit, 1);
      } catch (err) {
        const code = isSmartCitizenError(err)
          ? err.code
          : (err as NodeJS.ErrnoException)?.code === 'ENOENT'
            ? 'cli/file-not-found'
            : 'cli/unreadable-file';
        if (!isSmartCitizenError(err) && (err as NodeJS.ErrnoException)?.code === undefined) throw err;
        const message = err instanceof Error ? err.message.replace(/^\[[^\]]+\] /, '') : 'unreadable file';
        line = {
          file,
          ok: false,
          text: null,
          format: null,
          identity: null,
          issues: [issue(code, 'error', message)],
          strategy: null,
          ms: Math.round((performance.now() - t0) * 10) / 10,
        };
        exit = 2;
      }
      if (values.json) printJson(io, line);
      else io.stdout(describe(line));
    }
    return exit;
  },
});
