/**
 * (a) A blank Node project, ESM and CommonJS, installs the tarballs with npm and reads a card
 * QR, verifies a face (default profile, onnxruntime-node), fills CT01 and issues a ticket from
 * the in-memory queue backend (fixtures/node).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sharedData } from '@smart-citizen/test-kit';
import { npmInstall, writeBlankProject } from './packages.js';

/** What the SDK packages a Node portal needs for the four steps, and the onnxruntime it chooses. */
export const nodeSdk = ['@smart-citizen/qr', '@smart-citizen/face', '@smart-citizen/forms', '@smart-citizen/queue'];

/** One run's printed summary per module system. */
export type NodeProofResult = Record<'esm' | 'cjs', Record<string, unknown>>;

/**
 * @param workDir - empty folder for the project (removed first)
 * @param tarballs - from packAll
 */
export function nodeProof(workDir: string, tarballs: Map<string, string>): NodeProofResult {
  const deepface = sharedData('face/deepface');
  if (!deepface) throw new Error('pack-proof: ../shared/data/face/deepface is needed for the face step');
  rmSync(workDir, { recursive: true, force: true });
  cpSync(join(repoRoot, 'tools/pack-proof/fixtures/node'), workDir, { recursive: true });
  writeBlankProject(
    { dir: workDir, sdk: nodeSdk, registry: { 'onnxruntime-node': '1.22.0' }, type: 'module' },
    tarballs,
  );
  npmInstall(workDir);
  const input = JSON.stringify({
    card: join(repoRoot, 'examples/data/cccd-qr-photo.jpg'),
    payload: join(repoRoot, 'examples/data/cccd-qr-photo.txt'),
    same: [join(deepface, 'img1.jpg'), join(deepface, 'img2.jpg')],
    other: join(deepface, 'img3.jpg'),
  });
  const run = (file: string) =>
    JSON.parse(
      execFileSync('node', [file, input], { cwd: workDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
        .trim()
        .split('\n')
        .at(-1) ?? '{}',
    ) as Record<string, unknown>;
  return { esm: run('proof.mjs'), cjs: run('proof.cjs') };
}
