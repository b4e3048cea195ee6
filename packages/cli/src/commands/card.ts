import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractCardPrint, type FingerprintTemplate, writeMinutiaeRecord } from '@smart-citizen/fingerprint';
import { type CardCrop, IdCardReader, type SideResult } from '@smart-citizen/idcard';
import { encodePng } from '@smart-citizen/image';
import { CliUsageError, defineCommand, printJson } from '../command.js';

const usage = `Usage: smart-citizen card <front> [<back>] [--json] [--crops DIR] [--no-ocr]

Find a Vietnamese ID card (CMND 9/12, CCCD 2016/2021, Căn cước 2024) in one or two photos,
rectify it, tell its type and side, cut out the portrait and the index-finger prints, and read
every printed field and the MRZ line by line (tesseract.js, offline). Each field comes with a
confidence after the field rules (dates, ID-number rules, names, administrative units) and the
cross-check with the MRZ, which the back of a CCCD 2021 or Căn cước 2024 carries.

  <front> [<back>]  photos (JPEG, PNG, WebP, BMP); either side may come first
  --crops DIR       write portrait.png, left-index.png, right-index.png (and card-<side>.png) there,
                    and the prints' minutiae templates as left-index.iso / right-index.iso
                    (ISO 19794-2, from @smart-citizen/fingerprint's card-print extractor)
  --no-ocr          only find, rectify, classify and crop
  --json            print the result as JSON

Exit codes: 0 every photo read, 1 a photo could not be read (no card, cut off, blurred, …), 2 bad arguments.`;

/** The index-finger crops handed to the fingerprint package: a template each, or why there is none. */
type PrintTemplate = { template: FingerprintTemplate } | { error: string };

function printTemplate(crop: CardCrop): PrintTemplate {
  try {
    return { template: extractCardPrint(crop.image) };
  } catch (err) {
    return { error: (err as { code?: string }).code ?? 'fingerprint/failed' };
  }
}

const describePrint = (crop: CardCrop, t: PrintTemplate | undefined) => ({
  box: crop.box,
  quad: crop.quad,
  ...(t && 'template' in t ? { minutiae: t.template.minutiae.length } : t ? { templateError: t.error } : {}),
});

function summary(r: SideResult, prints?: { leftIndex: PrintTemplate; rightIndex: PrintTemplate }) {
  if (r.status !== 'read')
    return { status: r.status, issues: r.issues, ms: Math.round(r.ms), ...(r.quad ? { quad: r.quad } : {}) };
  return {
    status: r.status,
    documentType: r.documentType,
    side: r.side,
    quad: r.quad,
    classification: r.classification,
    sharpness: r.sharpness,
    fields: r.fields,
    ...(r.mrz
      ? {
          mrz: {
            lines: r.mrz.lines,
            valid: r.mrz.valid,
            confidence: r.mrzConfidence,
            checks: r.mrz.checks,
            fullName: r.mrz.fullName,
            personalNumber: r.mrz.personalNumber,
          },
        }
      : {}),
    ...(r.portrait ? { portrait: { box: r.portrait.box, quad: r.portrait.quad } } : {}),
    ...(r.fingerprints
      ? {
          fingerprints: {
            leftIndex: describePrint(r.fingerprints.leftIndex, prints?.leftIndex),
            rightIndex: describePrint(r.fingerprints.rightIndex, prints?.rightIndex),
          },
        }
      : {}),
    issues: r.issues,
    ms: Math.round(r.ms),
  };
}

/** `smart-citizen card`: read an ID card from photos. */
export const cardCommand = defineCommand({
  name: 'card',
  summary: 'find, rectify, classify and read a Vietnamese ID card photo (fields, MRZ, portrait, prints)',
  usage,
  options: { crops: 'string', 'no-ocr': 'boolean' },
  async run({ values, positionals }, io) {
    if (positionals.length === 0 || positionals.length > 2) throw new CliUsageError('give one or two photos');
    const photos = positionals.map((p) => {
      try {
        return new Uint8Array(readFileSync(resolve(io.cwd, p)));
      } catch {
        throw new CliUsageError(`cannot read ${p}`);
      }
    });
    const reader = await IdCardReader.create(values['no-ocr'] ? {} : { recognizer: 'builtin' });
    try {
      // read together, so the front's fields are checked against the MRZ on the back
      const both = await reader.read({ front: photos[0] as Uint8Array, ...(photos[1] ? { back: photos[1] } : {}) });
      const results = [both.front, both.back].filter((r): r is SideResult => r !== undefined);
      const prints = new Map<SideResult, { leftIndex: PrintTemplate; rightIndex: PrintTemplate }>();
      for (const r of results) {
        if (r.status === 'read' && r.fingerprints)
          prints.set(r, {
            leftIndex: printTemplate(r.fingerprints.leftIndex),
            rightIndex: printTemplate(r.fingerprints.rightIndex),
          });
      }
      if (values.crops) {
        const dir = resolve(io.cwd, values.crops);
        mkdirSync(dir, { recursive: true });
        for (const r of results) {
          if (r.status !== 'read') continue;
          writeFileSync(join(dir, `card-${r.side}.png`), encodePng(r.card));
          if (r.portrait) writeFileSync(join(dir, 'portrait.png'), encodePng(r.portrait.image));
          if (r.fingerprints) {
            writeFileSync(join(dir, 'left-index.png'), encodePng(r.fingerprints.leftIndex.image));
            writeFileSync(join(dir, 'right-index.png'), encodePng(r.fingerprints.rightIndex.image));
            for (const [name, t] of Object.entries(prints.get(r) ?? {}))
              if ('template' in t)
                writeFileSync(
                  join(dir, `${name === 'leftIndex' ? 'left' : 'right'}-index.iso`),
                  writeMinutiaeRecord(t.template, 'iso-19794-2-2005'),
                );
          }
        }
      }
      const out = results.map((r) => summary(r, prints.get(r)));
      if (values.json) {
        printJson(io, out.length === 1 ? out[0] : { sides: out, issues: both.issues });
      } else {
        for (const [i, r] of out.entries()) {
          const lines = [`Photo ${i + 1}: ${r.status}${'documentType' in r ? ` — ${r.documentType} ${r.side}` : ''}`];
          if ('fields' in r)
            for (const [k, v] of Object.entries(r.fields))
              lines.push(`  ${k.padEnd(26)} ${v?.value ?? '(unreadable)'} (${(v?.confidence ?? 0).toFixed(2)})`);
          if ('mrz' in r && r.mrz) lines.push(`  MRZ ${r.mrz.valid ? 'valid' : 'NOT valid'}`);
          for (const x of r.issues)
            lines.push(`  ${x.severity} ${x.code}${x.path ? ` (${x.path})` : ''}: ${x.message}`);
          io.stdout(`${lines.join('\n')}\n`);
        }
        for (const x of both.issues) io.stdout(`${x.severity} ${x.code}: ${x.message}\n`);
      }
      return results.every((r) => r.status === 'read') ? 0 : 1;
    } finally {
      await reader.close();
    }
  },
});
