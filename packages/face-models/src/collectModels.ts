/**
 * Build step of `@smart-citizen/face-models`: copy into `models/` exactly the files that
 * `@smart-citizen/face`'s built-in profiles mark with origin `models-package` (the profile is
 * the one place that lists them, with their SHA-256), from the sources below, checking each
 * hash. Run by `pnpm --filter @smart-citizen/face-models build` (and by scripts/setup.mjs), so
 * the files come from this repository or an npm package, never from a folder beside the clone.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// A relative import on purpose: face depends on this package, so it cannot be a dependency here.
import { builtinProfiles, type ModelFileSpec, profileModelFiles, profileModelRoles } from '../../face/src/profiles.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where a shipped file can come from at build time, in order of preference. */
export interface ModelSourceDir {
  /** For messages and PROVENANCE.md. */
  name: string;
  /** Absolute folder, or undefined when the source is not installed. */
  dir: string | undefined;
  /** Licence of the files from this source, as README.md states it. */
  licence: string;
}

/** The sources: the npm package the UltraFace/fr_* models are published in, then `vendor/` of this repo. */
export function modelSources(): ModelSourceDir[] {
  const require = createRequire(join(packageRoot, 'package.json'));
  let faceplugin: string | undefined;
  try {
    faceplugin = join(dirname(require.resolve('faceplugin-face-recognition-js/package.json')), 'model');
  } catch {
    faceplugin = undefined;
  }
  return [
    { name: 'npm faceplugin-face-recognition-js@0.0.1 model/', dir: faceplugin, licence: 'MIT (declared)' },
    {
      name: 'vendor/ of this repository (Apache-2.0 models that are not on npm)',
      dir: join(packageRoot, 'vendor'),
      licence: 'Apache-2.0',
    },
  ];
}

/**
 * The files the package ships: every `models-package` file of the built-in profiles. All of the
 * default profile's files must be among them, so `FaceVerifier.create()` works with no options.
 */
export function shippedModelFiles(): ModelFileSpec[] {
  const byFile = new Map<string, ModelFileSpec>();
  for (const profile of Object.values(builtinProfiles)) {
    for (const spec of profileModelFiles(profile)) {
      if (spec.origin !== 'models-package') continue;
      const seen = byFile.get(spec.file);
      if (seen && seen.sha256 !== spec.sha256) {
        throw new Error(`face-models: ${spec.file} has two SHA-256 values in the built-in profiles`);
      }
      byFile.set(spec.file, spec);
    }
  }
  for (const spec of profileModelFiles(builtinProfiles.default)) {
    if (spec.origin !== 'models-package') {
      throw new Error(`face-models: the default profile's ${spec.file} must have origin 'models-package'`);
    }
  }
  return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** One shipped file as the README lists it. */
export interface CollectedModel {
  file: string;
  source: string;
  licence: string;
  bytes: number;
}

/** Copy the shipped files into `outDir` (emptied first). Returns each file with the source it came from. */
export function collectModels(
  outDir = join(packageRoot, 'models'),
  sources: ModelSourceDir[] = modelSources(),
): CollectedModel[] {
  const done: CollectedModel[] = [];
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const spec of shippedModelFiles()) {
    const from = sources.find((s) => s.dir !== undefined && existsSync(join(s.dir, spec.file)));
    if (!from?.dir) {
      throw new Error(`face-models: ${spec.file} is in none of: ${sources.map((s) => s.name).join('; ')}`);
    }
    const path = join(from.dir, spec.file);
    const actual = sha256File(path);
    if (actual !== spec.sha256) {
      throw new Error(`face-models: ${path} has SHA-256 ${actual}, the profile says ${spec.sha256}`);
    }
    copyFileSync(path, join(outDir, spec.file));
    done.push({ file: spec.file, source: from.name, licence: from.licence, bytes: statSync(path).size });
  }
  return done;
}

/** The files now in `models/` (empty when the package was not built). */
export function builtModelFiles(outDir = join(packageRoot, 'models')): string[] {
  return existsSync(outDir) ? readdirSync(outDir).sort() : [];
}

const tableStart = '<!-- files: written by the build (src/collectModels.ts) -->';
const tableEnd = '<!-- end of files -->';

/** The README's table of files: each with the roles it has in the default profile. */
export function filesTable(models: readonly CollectedModel[]): string {
  const roles = (file: string) =>
    profileModelRoles(builtinProfiles.default)
      .filter(([, spec]) => spec.file === file)
      .map(([pointer]) => `\`${pointer}\``)
      .join(', ') || '— (another built-in profile)';
  return [
    '| file | role in the default profile | bytes | licence |',
    '|---|---|---|---|',
    ...models.map(
      (m) => `| \`models/${m.file}\` | ${roles(m.file)} | ${m.bytes.toLocaleString('en')} | ${m.licence} |`,
    ),
  ].join('\n');
}

/** README.md text with the files table replaced. */
export function withFilesTable(readme: string, models: readonly CollectedModel[]): string {
  const [head, rest] = readme.split(tableStart);
  const tail = rest?.split(tableEnd)[1];
  if (head === undefined || tail === undefined) throw new Error('face-models: README.md lacks the files-table markers');
  return `${head}${tableStart}\n${filesTable(models)}\n${tableEnd}${tail}`;
}

/** Path of the package README. @internal */
export const readmePath: string = join(packageRoot, 'README.md');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const models = collectModels();
  for (const { file, source } of models) console.log(`face-models: ${file} ← ${source}`);
  writeFileSync(readmePath, withFilesTable(readFileSync(readmePath, 'utf8'), models));
}
