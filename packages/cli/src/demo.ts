/**
 * `pnpm demo`: the CLI on the example files shipped in examples/, with embedded defaults
 * (a SQLite identity store in a temporary folder, the in-memory queue). Each step prints the
 * command it runs; the demo fails if any step fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './runCli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const example = (p: string) => join(root, 'examples', p);
const work = mkdtempSync(join(tmpdir(), 'smart-citizen-demo-'));
const store = `sqlite:${join(work, 'identity.db')}`;

const steps: { title: string; argv: string[]; okCodes?: number[] }[] = [
  { title: 'Read the QR code on a card photo', argv: ['qr', example('data/cccd-qr-photo.jpg')] },
  {
    title: 'Check a 12-digit ID number against a date of birth and sex',
    argv: ['id', '001099012345', '--dob', '07/03/1999', '--sex', 'Nam'],
  },
  {
    title: 'Import citizens into the embedded identity store',
    argv: ['store', 'import', example('data/citizens.jsonl'), '--store', store],
  },
  { title: 'Look one up', argv: ['store', 'get', '001099012345', '--store', store] },
  {
    title: 'Pre-fill form CT01 from the card and the citizen’s answers',
    argv: [
      'form',
      'fill',
      'ct01',
      '--identity',
      example('data/identity.json'),
      '--answers',
      example('data/answers-ct01.json'),
      '--pdf',
      join(work, 'ct01.pdf'),
    ],
  },
  {
    title: 'Simulate a day at a ward one-stop-shop centre and compare queue policies',
    argv: ['queue', 'simulate', '--config', example('queue/ward-centre.json')],
  },
];

let failed = 0;
try {
  for (const step of steps) {
    process.stdout.write(
      `\n── ${step.title}\n$ smart-citizen ${step.argv.map((a) => a.replace(`${root}/`, '')).join(' ')}\n\n`,
    );
    const code = await runCli(step.argv);
    if (code !== 0) {
      failed++;
      process.stderr.write(`(step exited with code ${code})\n`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
