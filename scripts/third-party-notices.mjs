#!/usr/bin/env node
// Regenerates the library table of THIRD_PARTY_NOTICES.md from `pnpm licenses list --prod`
// (every package a published @smart-citizen package installs), keeping the hand-written part
// above the marker line (models, fonts and data, whose notices are not in package.json).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../THIRD_PARTY_NOTICES.md', import.meta.url);
const marker = '<!-- generated below: node scripts/third-party-notices.mjs -->';
const head = readFileSync(file, 'utf8').split(marker)[0];
const json = JSON.parse(
  execFileSync('pnpm', ['licenses', 'list', '--prod', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }),
);
const rows = [];
for (const [licence, pkgs] of Object.entries(json)) {
  for (const p of pkgs) {
    if (p.name.startsWith('@smart-citizen/')) continue;
    rows.push({ name: p.name, versions: p.versions.join(', '), licence, author: (p.author ?? '').replace(/\|/g, '/') });
  }
}
rows.sort((a, b) => a.name.localeCompare(b.name));
const table = [
  '| package | version | licence | author |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.versions} | ${r.licence} | ${r.author} |`),
].join('\n');
writeFileSync(
  file,
  `${head}${marker}\n\n## Libraries installed with the published packages (${rows.length})\n\nEach package's licence text ships inside it under \`node_modules/<name>\`.\n\n${table}\n`,
);
