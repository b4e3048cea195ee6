import { describe, expect, it } from 'vitest';
import { FaceError } from './errors.js';
import { FaceVerifier } from './FaceVerifier.js';
import { parseFaceProfile } from './profileSchema.js';
import { builtinProfiles, type FaceModelProfile } from './profiles.js';

const clone = (p: FaceModelProfile): Record<string, unknown> =>
  JSON.parse(JSON.stringify(p)) as Record<string, unknown>;

/** The FaceError a call throws (fails the test when it throws something else or nothing). */
function faceError(fn: () => unknown): FaceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FaceError);
    return e as FaceError;
  }
  throw new Error('expected a FaceError');
}

const problems = (e: FaceError) => (e.details?.problems ?? []) as { path: string; message: string }[];

/** Set a value at a path of nested objects/arrays (a copy is given). */
function setAt(o: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  let cur = o as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return o;
}

describe('parseFaceProfile', () => {
  it('accepts both built-in profiles, also after a JSON round trip', () => {
    for (const p of Object.values(builtinProfiles)) {
      expect(parseFaceProfile(p)).toBe(p);
      expect(parseFaceProfile(clone(p))).toEqual(clone(p));
    }
  });

  it.each([
    ['a missing detector', ['detector'], undefined, '/'],
    ['an unknown detector kind', ['detector', 'kind'], 'retinaface', '/detector'],
    [
      'a file name that climbs out of the folder',
      ['embedder', 'model', 'file'],
      '../../etc/passwd',
      '/embedder/model/file',
    ],
    ['an upper-case or short SHA-256', ['embedder', 'model', 'sha256'], 'ABC', '/embedder/model/sha256'],
    ['a zero std', ['landmarks', 'model', 'format', 'std'], 0, '/landmarks/model/format/std'],
    ['an unknown colour order', ['landmarks', 'model', 'format', 'colour'], 'rgba', '/landmarks/model/format/colour'],
    [
      'a template of four points',
      ['embedder', 'template'],
      [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ],
      '/embedder/template',
    ],
    ['a threshold above 1', ['thresholds', 'photo'], 1.5, '/thresholds/photo'],
    ['no liveness nets', ['liveness', 'models'], [], '/liveness/models'],
    ['a string where a number goes', ['liveness', 'models', 0, 'size'], '80', '/liveness/models/0/size'],
    ['an unknown property', ['embedder', 'normalise'], true, '/embedder'],
  ])('rejects %s with face/bad-profile and the path', (_name, path, value, where) => {
    const e = faceError(() => parseFaceProfile(setAt(clone(builtinProfiles['yunet-minifasnet']), path, value)));
    expect(e.code).toBe('face/bad-profile');
    expect(problems(e).some((x) => x.path === (where === '/' ? '' : where))).toBe(true);
  });

  it('rejects a yunet detector whose outputs do not match its strides', () => {
    const p = setAt(clone(builtinProfiles['yunet-minifasnet']), ['detector', 'strides'], [8, 16]);
    const e = faceError(() => parseFaceProfile(p));
    expect(problems(e)[0]?.path).toBe('/detector/model/outputs');
    expect(e.message).toContain('8 outputs for 2 strides');
  });

  it('rejects one file name declared with two different hashes (one file would serve both roles)', () => {
    const p = clone(builtinProfiles.default);
    setAt(p, ['liveness', 'models', 0, 'model', 'file'], 'fr_feature.onnx');
    const e = faceError(() => parseFaceProfile(p));
    expect(problems(e)[0]?.path).toBe('/liveness/models/0/model');
  });

  it('rejects non-objects', () => {
    for (const v of [null, undefined, 42, 'default', [], () => 1]) {
      expect(faceError(() => parseFaceProfile(v)).code).toBe('face/bad-profile');
    }
  });

  it('never throws anything but FaceError on random mutations of a valid profile (fuzz)', () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const junk = [null, -1, 0, 1e9, Number.NaN, '', 'x', [], {}, true, [1, 2], { kind: 'yunet' }];
    let accepted = 0;
    for (let n = 0; n < 2000; n++) {
      const p = clone(rand() < 0.5 ? builtinProfiles.default : builtinProfiles.faceplugin);
      // Walk to a random node and replace or delete one of its keys.
      let cur: Record<string | number, unknown> = p;
      for (let depth = 0; depth < 5; depth++) {
        const keys = Object.keys(cur);
        const k = keys[Math.floor(rand() * keys.length)] as string;
        const next = cur[k];
        if (next && typeof next === 'object' && rand() < 0.7) cur = next as Record<string, unknown>;
        else {
          if (rand() < 0.2) delete cur[k];
          else cur[k] = junk[Math.floor(rand() * junk.length)];
          break;
        }
      }
      try {
        parseFaceProfile(p);
        accepted++;
      } catch (e) {
        expect(e).toBeInstanceOf(FaceError);
      }
    }
    // Some mutations stay valid (a number to 0 or 1 in range), most do not.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(1000);
  });
});

describe('FaceVerifier.create with a bad profile', () => {
  it('is face/bad-profile before any model is read, for an object, a JSON profile or an inherited name', async () => {
    for (const profile of [{}, { ...clone(builtinProfiles.default), liveness: { kind: 'softmax-ensemble' } }]) {
      await expect(FaceVerifier.create({ profile: profile as unknown as FaceModelProfile })).rejects.toMatchObject({
        code: 'face/bad-profile',
      });
    }
    await expect(FaceVerifier.create({ profile: 'toString' as 'default' })).rejects.toMatchObject({
      code: 'face/bad-profile',
    });
  });
});
