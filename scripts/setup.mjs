#!/usr/bin/env node
// One-step set-up on a machine with only Node.js and npm: installs the pinned pnpm if it is
// missing, then the workspace with a frozen lockfile. Native addons (better-sqlite3) are built
// against the Node headers npm is configured with (`npm config get nodedir`), so nothing is
// downloaded when the machine has them; pnpm does not read that npm setting by itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).packageManager.split(
  '@',
)[1];
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const out = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

if (out('pnpm', ['--version']) !== pinned) {
  console.log(`Installing pnpm ${pinned} with npm…`);
  run('npm', ['install', '--global', `pnpm@${pinned}`]);
}
const env = { ...process.env };
const nodedir = out('npm', ['config', 'get', 'nodedir']);
if (!env.npm_config_nodedir && nodedir && nodedir !== 'undefined' && nodedir !== 'null')
  env.npm_config_nodedir = nodedir;
run('pnpm', ['install', '--frozen-lockfile'], env);
// The face models ship in @smart-citizen/face-models; its build copies them (hash-checked) from
// an npm package and the repository into models/, so tests and the demo find them without a full build.
run('pnpm', ['--filter', '@smart-citizen/face-models', 'build'], env);
