import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@smart-citizen/core';
import { resourceMissing } from '@smart-citizen/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinProfiles, profileModelFiles } from '../../face/src/profiles.js';
import {
  builtModelFiles,
  collectModels,
  modelSources,
  readmePath,
  shippedModelFiles,
  withFilesTable,
} from './collectModels.js';

const tmp = mkdtempSync(join(tmpdir(), 'face-models-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('face-models build', () => {
  it('ships every file of the default profile, and only models-package files', () => {
    const shipped = shippedModelFiles().map((m) => m.file);
    for (const m of profileModelFiles(builtinProfiles.default)) expect(shipped).toContain(m.file);
    for (const m of shippedModelFiles()) expect(m.origin).toBe('models-package');
  });

  it('copies the files from the npm package / vendor folder with the profile SHA-256', async () => {
    const out = join(tmp, 'models');
    const done = collectModels(out);
    expect(done.map((d) => d.file)).toEqual(shippedModelFiles().map((m) => m.file));
    // The README's table is the one the build writes (run the build after changing a profile).
    const readme = readFileSync(readmePath, 'utf8');
    expect(withFilesTable(readme, done)).toBe(readme);
    for (const spec of shippedModelFiles()) {
      expect(await sha256Hex(new Uint8Array(readFileSync(join(out, spec.file))))).toBe(spec.sha256);
    }
  });

  it('refuses a file whose bytes differ from the profile hash', () => {
    const fake = join(tmp, 'fake');
    const first = shippedModelFiles()[0];
    if (!first) throw new Error('no shipped file');
    rmSync(fake, { recursive: true, force: true });
    collectModels(fake); // a complete copy to tamper with
    writeFileSync(join(fake, first.file), 'not a model');
    expect(() => collectModels(join(tmp, 'out2'), [{ name: 'tampered', dir: fake, licence: 'none' }])).toThrow(
      /SHA-256/,
    );
  });

  it('names the sources when a file is nowhere', () => {
    expect(() =>
      collectModels(join(tmp, 'out3'), [{ name: 'empty source', dir: join(tmp, 'nothing'), licence: 'none' }]),
    ).toThrow(/empty source/);
    expect(
      modelSources()
        .map((s) => s.name)
        .join(),
    ).toMatch(/faceplugin.*vendor/);
  });

  it('the built package holds exactly the shipped files', () => {
    const built = builtModelFiles();
    if (built.length === 0) {
      resourceMissing('a built @smart-citizen/face-models (pnpm --filter @smart-citizen/face-models build)');
      return;
    }
    expect(built).toEqual(shippedModelFiles().map((m) => m.file));
  });
});
