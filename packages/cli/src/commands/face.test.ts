import { join } from 'node:path';
import { yunetMiniFasNetProfile } from '@smart-citizen/face';
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { expectJson, jsonLines, runCaptured, tempDir } from '../testing/runCaptured.js';

const run = (argv: string[], cwd?: string) => runCaptured(['face', ...argv], cwd);

describe('smart-citizen face: usage', () => {
  it('rejects bad usage with exit 2 and a message', async () => {
    expect((await run(['verify', 'only-one.jpg'])).code).toBe(2);
    expect((await run(['explode'])).code).toBe(2);
    expect((await run(['verify', 'a', 'b', '--profile', 'nope'])).code).toBe(2);
  });

  it('a profile file that is not JSON or not a valid profile is a typed error, before any model is read', async () => {
    const dir = tempDir('sc-face-profile-', {
      'broken.json': '{ "id": ',
      'bad.json': JSON.stringify({ id: 'mine', detector: { kind: 'retinaface' } }),
    });
    const broken = await run(['verify', 'a.jpg', 'b.jpg', '--profile', 'broken.json', '--json'], dir);
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.out).error.code).toBe('cli/usage');
    const bad = await run(['verify', 'a.jpg', 'b.jpg', '--profile', 'bad.json', '--json'], dir);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).error).toMatchObject({ code: 'face/bad-profile' });
    expect(JSON.parse(bad.out).error.message).toContain("must have required property 'landmarks'");
  });

  it('an unreadable image is a usage error, not a crash', async () => {
    const r = await run(['liveness', '/nonexistent/x.jpg', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).ok).toBe(false);
  });
});

const deepface = sharedData('face/deepface');
const models = sharedData('models');
const liveness = sharedData('face/liveness');

describe.skipIf(!deepface || !models || !liveness)('smart-citizen face on real photos', () => {
  const dir = deepface as string;

  it('verify <a> <b> --json prints score, match, threshold, quality and ms', async () => {
    const r = await run(['verify', join(dir, 'img1.jpg'), join(dir, 'img2.jpg'), '--json']);
    const j = expectJson(r);
    expect(j).toMatchObject({ status: 'compared', match: true });
    expect(j.score).toBeGreaterThan(j.threshold);
    expect(j.quality.probe.passed).toBe(true);
    expect(typeof j.ms).toBe('number');
  });

  it('verify --profile FILE.json runs a profile of your own (here: yunet with a strict threshold)', async () => {
    const mine = {
      ...yunetMiniFasNetProfile,
      id: 'strict-yunet',
      thresholds: { ...yunetMiniFasNetProfile.thresholds, photo: 0.99 },
    };
    const tmp = tempDir('face-profile-', { 'strict.json': JSON.stringify(mine) });
    const argv = ['verify', join(dir, 'img1.jpg'), join(dir, 'img2.jpg'), '--profile', 'strict.json'];
    const r = await run([...argv, '--models', models as string, '--json'], tmp);
    const j = expectJson(r);
    expect(j).toMatchObject({ status: 'compared', match: false, threshold: 0.99 });
    expect(j.score).toBeGreaterThan(yunetMiniFasNetProfile.thresholds.photo);
  });

  it('verify --pairs prints one JSON line per pair in one process (yunet profile)', async () => {
    const pairs = [
      '# probe\treference',
      `${join(dir, 'img1.jpg')}\t${join(dir, 'img2.jpg')}`,
      `${join(dir, 'img1.jpg')}\t${join(dir, 'img3.jpg')}`,
      '',
      'broken line without tab',
      `${join(dir, 'img3.jpg')}\t${join(dir, 'img12.jpg')}`,
    ];
    const file = join(tempDir('face-pairs-', { 'pairs.tsv': pairs.join('\n') }), 'pairs.tsv');
    const r = await run([
      'verify',
      '--pairs',
      file,
      '--json',
      '--profile',
      'yunet-minifasnet',
      '--models',
      models as string,
    ]);
    const lines = jsonLines(r.out);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ line: 2, match: true });
    expect(lines[1]).toMatchObject({ line: 3, match: false });
    expect(lines[2]).toMatchObject({ line: 5, ok: false });
    expect(lines[3]).toMatchObject({ line: 6, match: true });
    expect(r.code).toBe(1);
  });

  it('liveness --json scores the live sample as live with the MiniFASNet pair', async () => {
    const r = await run([
      'liveness',
      join(liveness as string, 'silentface_image_T1_upright.png'),
      '--json',
      '--profile',
      'yunet-minifasnet',
      '--models',
      models as string,
    ]);
    const j = expectJson(r);
    expect(j.live).toBe(true);
    expect(j.perModel).toHaveLength(2);
  });
});
