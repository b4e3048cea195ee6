import type {
  BuiltinProfileId,
  EmbedResult,
  FaceModelProfile,
  FaceQuality,
  FaceVerifier,
  ReferenceType,
  VerifyResult,
} from '@smart-citizen/face';
import { type CliIO, CliUsageError, defineCommand, printJson } from '../command.js';
import { parseJsonFile, readBytes } from '../files.js';
import { loadOnce, runPairsFile } from '../pairsFile.js';

const usage = `Usage:
  smart-citizen face verify <probe> <reference> [--json] [options]
  smart-citizen face verify --pairs FILE [--json] [options]
  smart-citizen face liveness <image> [--json] [options]

  verify     Compare the face of <probe> (live capture) with <reference>.
             JSON: { score, match, threshold, quality, ms, ... }; exit 0 when compared, 1 when a
             side has no face. With --pairs, FILE holds one "probe<TAB>reference" pair per line
             (paths relative to FILE's folder; '#' starts a comment) and one JSON line is printed
             per pair; each image is decoded and embedded once.
  liveness   Passive liveness score of the face in <image>.

Options:
  --profile default|faceplugin|FILE.json
                                       Model profile (default: default = YuNet + fr_feature +
                                       MiniFASNet; yunet-minifasnet is its old name); a .json file
                                       is a profile of your own, checked before any model is read
  --models DIR                         Folder of the "integrator" model files of a profile file
  --reference-type photo|id-card-portrait|chip-portrait   Kind of reference image (default: photo)
  --json                               JSON on stdout`;

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

function qualityJson(q: FaceQuality | null) {
  if (!q) return null;
  return {
    passed: q.passed,
    interOcular: round(q.interOcular, 1),
    sharpness: round(q.sharpness, 1),
    brightness: round(q.brightness, 1),
    yaw: round(q.yaw, 1),
    pitch: round(q.pitch, 1),
    roll: round(q.roll, 1),
    eyeAspectRatio: Number.isFinite(q.eyeAspectRatio) ? round(q.eyeAspectRatio, 3) : null,
    issues: q.issues.map((i) => i.code),
  };
}

function verifyJson(r: VerifyResult, threshold: number) {
  if (r.status === 'no-face') {
    return {
      status: r.status,
      side: r.side,
      score: null,
      match: false,
      threshold,
      quality: null,
      ms: round(r.ms, 1),
      issues: r.issues,
    };
  }
  return {
    status: r.status,
    score: round(r.score),
    match: r.match,
    decision: r.decision,
    threshold: r.threshold,
    referenceType: r.referenceType,
    quality: { probe: qualityJson(r.quality.probe), reference: qualityJson(r.quality.reference) },
    faces: r.faceCount,
    ms: round(r.ms, 1),
    issues: r.issues,
  };
}

function verifyText(r: VerifyResult): string {
  if (r.status === 'no-face') return `no face (${r.side})`;
  const flags = r.issues.filter((i) => i.severity !== 'info').map((i) => `${i.path}:${i.code}`);
  return `${r.decision} score=${r.score.toFixed(4)} threshold=${r.threshold} ${Math.round(r.ms)} ms${
    flags.length ? ` [${flags.join(', ')}]` : ''
  }`;
}

async function createVerifier(
  values: { profile?: string | undefined; models?: string | undefined },
  io: CliIO,
  liveness: boolean,
) {
  const name = values.profile ?? 'default';
  const { resolve } = await import('node:path');
  const { FaceVerifier, parseFaceProfile } = await import('@smart-citizen/face');
  let profile: BuiltinProfileId | FaceModelProfile;
  if (name.endsWith('.json')) {
    profile = parseFaceProfile(parseJsonFile(await readBytes(resolve(io.cwd, name)), name));
  } else if (name === 'default' || name === 'faceplugin' || name === 'yunet-minifasnet') {
    profile = name;
  } else {
    throw new CliUsageError(`--profile must be default, faceplugin or a .json file, got ${name}`);
  }
  return FaceVerifier.create({
    profile,
    liveness,
    ...(values.models === undefined ? {} : { models: { dir: resolve(io.cwd, values.models) } }),
  });
}

async function runVerify(
  fv: FaceVerifier,
  args: string[],
  pairs: string | undefined,
  json: boolean,
  referenceType: ReferenceType,
  io: CliIO,
): Promise<number> {
  const { resolve } = await import('node:path');
  const threshold = fv.thresholds[referenceType];
  if (pairs === undefined) {
    const [a, b] = args;
    if (a === undefined || b === undefined || args.length > 2)
      throw new CliUsageError('verify needs <probe> <reference> or --pairs FILE');
    const r = await fv.verify(await readBytes(resolve(io.cwd, a)), await readBytes(resolve(io.cwd, b)), {
      referenceType,
    });
    if (json) printJson(io, verifyJson(r, threshold));
    else io.stdout(`${verifyText(r)}\n`);
    return r.status === 'compared' ? 0 : 1;
  }
  if (args.length > 0) throw new CliUsageError('give either --pairs FILE or two images, not both');
  // Each image is embedded once per reference type it is used with.
  const once = loadOnce<EmbedResult>();
  return runPairsFile({
    file: pairs,
    io,
    json,
    keys: ['probe', 'reference'],
    load: (path, side) => {
      const type: ReferenceType = side === 0 ? 'photo' : referenceType;
      return once(`${type}\u0000${path}`, () =>
        readBytes(path).then((bytes) => fv.embed(bytes, { referenceType: type })),
      );
    },
    compare: (p, q, t0) => {
      const r = fv.compare(p, q, { referenceType, startedAt: t0 });
      return { json: verifyJson(r, threshold), text: verifyText(r), failed: r.status !== 'compared' };
    },
  });
}

/** `smart-citizen face`: 1:1 face verification and passive liveness. */
export const faceCommand = defineCommand({
  name: 'face',
  summary: 'Verify a face against a reference photo or card portrait; passive liveness',
  usage,
  options: { pairs: 'string', profile: 'string', models: 'string', 'reference-type': 'string' },
  async run({ values, positionals }, io) {
    const [sub, ...rest] = positionals;
    const referenceType = values['reference-type'] ?? 'photo';
    if (referenceType !== 'photo' && referenceType !== 'id-card-portrait' && referenceType !== 'chip-portrait') {
      throw new CliUsageError(
        `--reference-type must be photo, id-card-portrait or chip-portrait, got ${referenceType}`,
      );
    }
    if (sub === 'verify') {
      if (values.pairs === undefined && rest.length !== 2)
        throw new CliUsageError('verify needs <probe> <reference> or --pairs FILE');
      const fv = await createVerifier(values, io, false);
      try {
        return await runVerify(fv, rest, values.pairs, values.json, referenceType, io);
      } finally {
        await fv.close();
      }
    }
    if (sub === 'liveness') {
      const [image] = rest;
      if (image === undefined || rest.length !== 1) throw new CliUsageError('liveness needs one <image>');
      const { resolve } = await import('node:path');
      const bytes = await readBytes(resolve(io.cwd, image));
      const fv = await createVerifier(values, io, true);
      try {
        const r = await fv.liveness(bytes);
        const out =
          r.status === 'ok'
            ? {
                status: r.status,
                live: r.live,
                score: round(r.score),
                perModel: r.perModel.map((v) => round(v)),
                threshold: r.threshold,
                faces: r.faceCount,
                ms: round(r.ms, 1),
                issues: r.issues,
              }
            : {
                status: r.status,
                live: false,
                score: null,
                threshold: fv.thresholds.liveness,
                faces: 0,
                ms: round(r.ms, 1),
                issues: r.issues,
              };
        if (values.json) printJson(io, out);
        else
          io.stdout(
            r.status === 'ok'
              ? `${r.live ? 'live' : 'not live'} score=${r.score.toFixed(4)} threshold=${r.threshold}\n`
              : 'no face\n',
          );
        return r.status === 'ok' ? 0 : 1;
      } finally {
        await fv.close();
      }
    }
    throw new CliUsageError(sub === undefined ? 'missing subcommand: verify or liveness' : `unknown subcommand ${sub}`);
  },
});
