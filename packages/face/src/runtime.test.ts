import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSmartCitizenError } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { FaceVerifier } from './FaceVerifier.js';
import type { ModelFileSpec } from './profiles.js';
import { defaultProfile, facepluginProfile } from './profiles.js';
import { sha256Hex } from '@smart-citizen/core';
import { loadModelBytes } from './runtime.js';

const spec = (file: string, sha256: string, origin: ModelFileSpec['origin'] = 'integrator'): ModelFileSpec => ({
  file,
  origin,
  sha256,
  input: 'input',
  inputShape: [1],
  outputs: ['output'],
  format: { colour: 'rgb', mean: 0, std: 1 },
});

describe('model loading', () => {
  it('sha256Hex matches known vectors', async () => {
    expect(await sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('loads bytes whose hash matches, from files and from a folder', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const hash = await sha256Hex(bytes);
    expect(await loadModelBytes(spec('m.onnx', hash), { files: { 'm.onnx': bytes } })).toBe(bytes);
    const dir = mkdtempSync(join(tmpdir(), 'face-models-'));
    writeFileSync(join(dir, 'm.onnx'), bytes);
    expect(Array.from(await loadModelBytes(spec('m.onnx', hash.toUpperCase()), { dir }))).toEqual([1, 2, 3, 4]);
  });

  it('a wrong SHA-256 is face/model-checksum; a missing file or folder is face/model-missing', async () => {
    const bytes = new Uint8Array([9, 9]);
    await expect(loadModelBytes(spec('m.onnx', '00'.repeat(32)), { files: { 'm.onnx': bytes } })).rejects.toSatisfy(
      (e: unknown) => isSmartCitizenError(e, 'face/model-checksum'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'face-empty-'));
    await expect(loadModelBytes(spec('absent.onnx', '00'), { dir })).rejects.toSatisfy((e: unknown) =>
      isSmartCitizenError(e, 'face/model-missing'),
    );
    await expect(loadModelBytes(spec('absent.onnx', '00'), {})).rejects.toSatisfy((e: unknown) =>
      isSmartCitizenError(e, 'face/model-missing'),
    );
  });

  it('FaceVerifier.create refuses a profile whose file does not match its SHA-256, before any session', async () => {
    const tampered = {
      ...facepluginProfile,
      embedder: {
        ...facepluginProfile.embedder,
        model: { ...facepluginProfile.embedder.model, sha256: 'ab'.repeat(32) },
      },
    };
    const err = await FaceVerifier.create({ profile: tampered }).catch((e: unknown) => e);
    expect(isSmartCitizenError(err, 'face/model-checksum')).toBe(true);
    expect((err as { pkg: string }).pkg).toBe('face');
  });

  it('a models-package file in none of the folders is face/model-missing', async () => {
    const packageDir = mkdtempSync(join(tmpdir(), 'face-no-models-'));
    const err = await FaceVerifier.create({ profile: 'default', models: { packageDir } }).catch((e: unknown) => e);
    expect(isSmartCitizenError(err, 'face/model-missing')).toBe(true);
    expect((err as { details: { file: string } }).details.file).toBe(defaultProfile.detector.model.file);
  });

  it('bytes that are not an ONNX model but match their declared hash are face/model-invalid', async () => {
    const junk = new TextEncoder().encode('not a model');
    const hash = await sha256Hex(junk);
    const profile = {
      ...facepluginProfile,
      detector: { ...facepluginProfile.detector, model: { ...facepluginProfile.detector.model, sha256: hash } },
    };
    const err = await FaceVerifier.create({
      profile,
      liveness: false,
      models: { files: { 'fr_detect.onnx': junk } },
    }).catch((e: unknown) => e);
    expect(isSmartCitizenError(err, 'face/model-invalid')).toBe(true);
  });
});
