import {
  cosineSimilarity,
  defaultOnnxBackend,
  type Issue,
  issue,
  isSmartCitizenError,
  normalizeVector,
} from '@smart-citizen/core';
import {
  decodeImage,
  estimateSimilarity,
  type Matrix2x3,
  type Point,
  type RasterImage,
  resize,
  warpAffine,
} from '@smart-citizen/image';
import type { ChallengeFrame } from './challenge.js';
import {
  decodeLandmarks68,
  decodeUltraface,
  decodeYunet,
  enlargedBox,
  landmarks68To5,
  type RawDetection,
  yunetInputGeometry,
} from './detectors.js';
import { FaceError } from './errors.js';
import { parseFaceProfile } from './profileSchema.js';
import { type Box, softmax } from './geometry.js';
import {
  type BuiltinProfileId,
  builtinProfiles,
  type FaceModelProfile,
  type ModelFileSpec,
  type ProfileThresholds,
  profileModelFiles,
} from './profiles.js';
import {
  type AlignedFaceGeometry,
  assessQuality,
  defaultQualityLimits,
  type FaceQuality,
  type QualityLimits,
  type ReferenceType,
} from './quality.js';
import {
  createSession,
  type FaceBackend,
  loadModelBytes,
  loadOrt,
  type ModelLocations,
  type Ort,
  type OrtSession,
  type RuntimeOptions,
  runModel,
} from './runtime.js';
import { flipTensor, imageToTensor } from './tensor.js';

/** An image to analyse: encoded bytes (JPEG, PNG, WebP, BMP; EXIF orientation applied) or decoded pixels. */
export type FaceImageInput = Uint8Array | RasterImage;

/** How to choose the face when there are several. */
export type FacePick = 'largest' | 'central' | 'largest-central';

/** Options of {@link FaceVerifier.create}. */
export interface FaceVerifierOptions extends RuntimeOptions {
  /** A built-in profile id or a profile object. @default 'default' */
  profile?: BuiltinProfileId | FaceModelProfile;
  /** Where model files are. @default `@smart-citizen/face-models` for `models-package` files; `dir` is required for integrator files */
  models?: ModelLocations;
  /** Override the profile's thresholds. */
  thresholds?: Partial<ProfileThresholds>;
  /** Override quality limits per reference type. */
  quality?: Partial<Record<ReferenceType, Partial<QualityLimits>>>;
  /** Decoded images are downscaled so their longer side is at most this. @default 1920 */
  maxImageDimension?: number;
  /** Which face to use when there are several. @default 'largest-central' */
  pick?: FacePick;
  /** Load the passive liveness model(s). @default true */
  liveness?: boolean;
}

/** One detected face in source-image pixels. */
export interface DetectedFace {
  box: Box;
  /** Detector confidence (0–1). */
  score: number;
  /** Five points: image-left eye, image-right eye, nose, image-left mouth, image-right mouth. */
  landmarks5: Point[];
  /** 68 iBUG points. */
  landmarks68: Point[];
}

/** Milliseconds spent per stage. */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  liveness: number;
}

/** Options of one analysis. */
export interface AnalyzeOptions {
  /** What kind of image it is (quality limits and threshold). @default 'photo' */
  referenceType?: ReferenceType;
}

/** Result of {@link FaceVerifier.embed}. */
export type EmbedResult =
  | {
      status: 'ok';
      /** L2-normalised embedding. */
      embedding: Float32Array;
      face: DetectedFace;
      /** Faces found (the chosen one included). */
      faceCount: number;
      quality: FaceQuality;
      issues: Issue[];
      timings: StageTimings;
      width: number;
      height: number;
    }
  | { status: 'no-face'; faceCount: 0; issues: Issue[]; timings: StageTimings; width: number; height: number };

/** Result of {@link FaceVerifier.verify}. */
export type VerifyResult =
  | {
      status: 'compared';
      /** Cosine similarity of the embeddings. */
      score: number;
      threshold: number;
      /** Score at or above threshold and both faces passed the quality gate. */
      match: boolean;
      decision: 'match' | 'no-match' | 'poor-quality';
      referenceType: ReferenceType;
      quality: { probe: FaceQuality; reference: FaceQuality | null };
      faceCount: { probe: number; reference: number | null };
      issues: Issue[];
      ms: number;
    }
  | {
      status: 'no-face';
      /** Which side had no usable face. */
      side: 'probe' | 'reference' | 'both';
      match: false;
      issues: Issue[];
      ms: number;
    };

/** Result of {@link FaceVerifier.liveness}. */
export type LivenessResult =
  | {
      status: 'ok';
      /** Mean live probability of the profile's nets (0–1). */
      score: number;
      /** Live probability per net, in profile order. */
      perModel: number[];
      threshold: number;
      live: boolean;
      face: DetectedFace;
      faceCount: number;
      issues: Issue[];
      ms: number;
    }
  | { status: 'no-face'; live: false; faceCount: 0; issues: Issue[]; ms: number };

interface Sessions {
  detector: OrtSession;
  landmarks: OrtSession;
  embedder: OrtSession;
  liveness: OrtSession[];
}

interface Decoded {
  image: RasterImage;
  issues: Issue[];
}

const now = () => globalThis.performance.now();
const emptyTimings = (): StageTimings => ({ decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, liveness: 0 });

/**
 * 1:1 face verification with quality checks and passive liveness on onnxruntime.
 * Create once with {@link FaceVerifier.create}, reuse, then {@link FaceVerifier.close}.
 * @example
 * ```ts
 * await using fv = await FaceVerifier.create({ profile: 'yunet-minifasnet', models: { dir: '/opt/models' } });
 * const r = await fv.verify(selfieBytes, cardPortraitBytes, { referenceType: 'id-card-portrait' });
 * if (r.status === 'compared' && r.match) grant();
 * ```
 */
export class FaceVerifier {
  /** The active profile. */
  readonly profile: FaceModelProfile;
  /** The onnxruntime build in use. */
  readonly backend: FaceBackend;
  /** Decision thresholds in use (`chip-portrait` defaults to `photo`). */
  readonly thresholds: Required<ProfileThresholds>;
  readonly #ort: Ort;
  #sessions: Sessions | undefined;
  readonly #limits: Record<ReferenceType, QualityLimits>;
  readonly #maxDim: number;
  readonly #pick: FacePick;

  private constructor(
    profile: FaceModelProfile,
    backend: FaceBackend,
    ort: Ort,
    sessions: Sessions,
    options: FaceVerifierOptions,
  ) {
    this.profile = profile;
    this.backend = backend;
    this.#ort = ort;
    this.#sessions = sessions;
    const thresholds = { ...profile.thresholds, ...options.thresholds };
    this.thresholds = { ...thresholds, 'chip-portrait': thresholds['chip-portrait'] ?? thresholds.photo };
    this.#limits = {
      photo: { ...defaultQualityLimits.photo, ...options.quality?.photo },
      'id-card-portrait': { ...defaultQualityLimits['id-card-portrait'], ...options.quality?.['id-card-portrait'] },
      'chip-portrait': { ...defaultQualityLimits['chip-portrait'], ...options.quality?.['chip-portrait'] },
    };
    this.#maxDim = options.maxImageDimension ?? 1920;
    this.#pick = options.pick ?? 'largest-central';
  }

  /**
   * Load the profile's models (checking each SHA-256) and create one onnxruntime session per model.
   * @param options - See {@link FaceVerifierOptions}.
   * @returns A ready verifier.
   * @throws FaceError `face/model-missing`, `face/model-checksum`, `face/model-invalid`,
   *   `face/runtime-unavailable`, `face/bad-profile`.
   */
  static async create(options: FaceVerifierOptions = {}): Promise<FaceVerifier> {
    const p = options.profile ?? 'default';
    let profile: FaceModelProfile;
    if (typeof p === 'string') {
      if (!Object.hasOwn(builtinProfiles, p)) throw new FaceError('face/bad-profile', `unknown profile ${p}`);
      profile = builtinProfiles[p];
    } else {
      profile = parseFaceProfile(p);
    }
    const backend = options.backend ?? defaultOnnxBackend();
    const where = options.models ?? {};
    const wantLiveness = options.liveness ?? true;
    const specs = profileModelFiles(profile).filter(
      (s) => wantLiveness || !profile.liveness.models.some((m) => m.model.file === s.file),
    );
    // Check every file before creating any session, so a bad file fails fast and cheaply.
    const bytes = new Map<string, Uint8Array>();
    for (const spec of specs) bytes.set(spec.file, await loadModelBytes(spec, where));
    const ort = await loadOrt(backend, options);
    const created = new Map<string, OrtSession>();
    const session = async (spec: ModelFileSpec): Promise<OrtSession> => {
      const existing = created.get(spec.file);
      if (existing) return existing;
      const s = await createSession(ort, bytes.get(spec.file) as Uint8Array, spec, backend, options);
      created.set(spec.file, s);
      return s;
    };
    try {
      const sessions: Sessions = {
        detector: await session(profile.detector.model),
        landmarks: await session(profile.landmarks.model),
        embedder: await session(profile.embedder.model),
        liveness: wantLiveness ? await Promise.all(profile.liveness.models.map((m) => session(m.model))) : [],
      };
      return new FaceVerifier(profile, backend, ort, sessions, options);
    } catch (err) {
      await Promise.all([...created.values()].map((s) => s.release().catch(() => undefined)));
      throw err;
    }
  }

  #live(): Sessions {
    if (!this.#sessions) throw new FaceError('face/closed', 'the FaceVerifier was closed');
    return this.#sessions;
  }

  /** Decode (once) and normalise an input image. @internal */
  async decode(input: FaceImageInput, timings: StageTimings = emptyTimings()): Promise<Decoded> {
    const t0 = now();
    const issues: Issue[] = [];
    let image: RasterImage;
    if (input instanceof Uint8Array) {
      image = await decodeImage(input, { applyExifOrientation: true, maxDimension: this.#maxDim });
    } else {
      if (
        !input ||
        !(input.data instanceof Uint8Array) ||
        input.data.length !== input.width * input.height * input.channels
      ) {
        throw new FaceError('face/bad-image', 'the RasterImage is malformed');
      }
      image = input;
      if (Math.max(image.width, image.height) > this.#maxDim) {
        const s = this.#maxDim / Math.max(image.width, image.height);
        image = resize(image, {
          width: Math.max(1, Math.round(image.width * s)),
          height: Math.max(1, Math.round(image.height * s)),
        });
      }
    }
    if (image.channels === 1) issues.push(issue('face/greyscale-image', 'info', 'the image has no colour'));
    timings.decode += now() - t0;
    return { image, issues };
  }

  /**
   * Run every model of the profile `runs` times on a synthetic input, so the first citizens are
   * not the ones who wait. In a browser the first calls are several times slower than later ones
   * while V8 compiles onnxruntime-web's WASM to optimised code in the background (measured in
   * headless Chromium on 2 cores: the first analysis 330–900 ms, about ten calls to settle near
   * 60–110 ms; see the README). In Node one run is enough to size the memory arenas.
   * @param runs - Passes over the models (the README's bench suggests 10 in a browser, 1 in Node).
   * @returns Milliseconds spent.
   */
  async warmUp(runs = 1): Promise<number> {
    const s = this.#live();
    const t0 = now();
    const det = this.profile.detector;
    // The same shapes the pipeline feeds: YuNet as for a 640×480 frame.
    let detDims: number[];
    if (det.kind === 'yunet') {
      const g = yunetInputGeometry(640, 480, det.inputSize);
      detDims = [1, 3, g.paddedHeight, g.paddedWidth];
    } else {
      detDims = [1, 3, det.inputHeight, det.inputWidth];
    }
    const jobs: [OrtSession, ModelFileSpec, number[]][] = [
      [s.detector, det.model, detDims],
      [s.landmarks, this.profile.landmarks.model, [1, 1, this.profile.landmarks.size, this.profile.landmarks.size]],
      [s.embedder, this.profile.embedder.model, [1, 3, this.profile.embedder.size, this.profile.embedder.size]],
      ...this.profile.liveness.models.flatMap((m, i): [OrtSession, ModelFileSpec, number[]][] => {
        const session = s.liveness[i];
        return session ? [[session, m.model, [1, 3, m.size, m.size]]] : [];
      }),
    ];
    // A fixed texture rather than zeros, so every kernel sees ordinary values; built once per model.
    const inputs = jobs.map(([, , dims]) => {
      const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 255) / 128 - 1;
      return data;
    });
    for (let r = 0; r < Math.max(1, Math.floor(runs)); r++) {
      for (const [k, [session, spec, dims]] of jobs.entries()) {
        await runModel(this.#ort, session, spec, inputs[k] as Float32Array, dims);
      }
    }
    return now() - t0;
  }

  /** Detect every face with its 5 and 68 points, ordered by the pick rule (chosen first). */
  async detect(
    input: FaceImageInput,
  ): Promise<{ faces: DetectedFace[]; width: number; height: number; issues: Issue[] }> {
    const timings = emptyTimings();
    const d = await this.decode(input, timings);
    const faces = await this.#detect(d.image, timings);
    return { faces, width: d.image.width, height: d.image.height, issues: d.issues };
  }

  async #detect(img: RasterImage, timings: StageTimings): Promise<DetectedFace[]> {
    const s = this.#live();
    if (img.width < 24 || img.height < 24) return [];
    const t0 = now();
    const det = this.profile.detector;
    let raw: RawDetection[];
    if (det.kind === 'yunet') {
      const g = yunetInputGeometry(img.width, img.height, det.inputSize);
      const same = g.resizedWidth === img.width && g.resizedHeight === img.height;
      const small = same
        ? img
        : resize(img, { width: g.resizedWidth, height: g.resizedHeight, method: g.scale < 1 ? 'area' : 'bilinear' });
      const data = imageToTensor(small, det.model.format, { width: g.paddedWidth, height: g.paddedHeight });
      const out = await runModel(this.#ort, s.detector, det.model, data, [1, 3, g.paddedHeight, g.paddedWidth]);
      raw = decodeYunet(out, g, det);
    } else {
      const small = resize(img, {
        width: det.inputWidth,
        height: det.inputHeight,
        method: img.width > det.inputWidth ? 'area' : 'bilinear',
      });
      const data = imageToTensor(small, det.model.format);
      const out = await runModel(this.#ort, s.detector, det.model, data, [1, 3, det.inputHeight, det.inputWidth]);
      const [scoresName, boxesName] = det.model.outputs;
      raw = decodeUltraface(
        out[scoresName ?? 'scores'] ?? new Float32Array(),
        out[boxesName ?? 'boxes'] ?? new Float32Array(),
        img.width,
        img.height,
        det,
      );
    }
    raw = raw.filter((r) => r.box.width >= 8 && r.box.height >= 8);
    timings.detect += now() - t0;
    const t1 = now();
    const ordered = this.#order(raw, img.width, img.height);
    const faces: DetectedFace[] = [];
    for (const r of ordered) {
      const landmarks68 = await this.#landmarks68(img, r.box);
      faces.push({ box: r.box, score: r.score, landmarks68, landmarks5: r.landmarks5 ?? landmarks68To5(landmarks68) });
    }
    timings.landmarks += now() - t1;
    return faces;
  }

  #order(raw: RawDetection[], width: number, height: number): RawDetection[] {
    const diag = Math.hypot(width, height);
    const key = (r: RawDetection) => {
      const area = r.box.width * r.box.height;
      const dc =
        Math.hypot(r.box.x + r.box.width / 2 - width / 2, r.box.y + r.box.height / 2 - height / 2) / (diag / 2);
      if (this.#pick === 'largest') return area;
      if (this.#pick === 'central') return -dc;
      return area * (1 - 0.5 * Math.min(1, dc));
    };
    return [...raw].sort((a, b) => key(b) - key(a));
  }

  async #landmarks68(img: RasterImage, box: Box): Promise<Point[]> {
    const spec = this.profile.landmarks;
    const side = box.height * spec.boxScale;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const crop: Box = { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
    const patch = this.#cropResize(img, crop, spec.size, spec.size, false);
    const data = imageToTensor(patch, spec.model.format);
    const out = await runModel(this.#ort, this.#live().landmarks, spec.model, data, [1, 1, spec.size, spec.size]);
    return decodeLandmarks68(out[spec.model.outputs[0] ?? 'output'] ?? new Float32Array(), crop);
  }

  /**
   * Sample `box` of the image into an outW×outH patch with a bilinear warp. With `antiAlias`,
   * large downscales first go through an area-filtered power-of-two level of the image, so the
   * warp never skips source pixels; without it the crop aliases like the `cv2.resize` the
   * landmark and anti-spoofing nets were trained with.
   */
  #cropResize(img: RasterImage, box: Box, outW: number, outH: number, antiAlias: boolean): RasterImage {
    const scale = Math.min(outW / box.width, outH / box.height);
    const { image, factor } = antiAlias ? this.#level(img, 1 / scale) : { image: img, factor: 1 };
    const sx = (outW / box.width) * factor;
    const sy = (outH / box.height) * factor;
    const m: Matrix2x3 = [sx, 0, -(box.x / factor) * sx, 0, sy, -(box.y / factor) * sy];
    return warpAffine(image, m, { width: outW, height: outH });
  }

  #pyramid = new WeakMap<RasterImage, Map<number, RasterImage>>();

  /** The image downscaled by a power of two no larger than `shrink` / 1.5 (cached per image). */
  #level(img: RasterImage, shrink: number): { image: RasterImage; factor: number } {
    let factor = 1;
    while (factor * 2 <= shrink / 1.5) factor *= 2;
    if (factor === 1) return { image: img, factor };
    let levels = this.#pyramid.get(img);
    if (!levels) {
      levels = new Map();
      this.#pyramid.set(img, levels);
    }
    // Each level halves the one above it, so a deep level costs little more than the first.
    let level: RasterImage = img;
    for (let f = 2; f <= factor; f *= 2) {
      const cached = levels.get(f);
      if (cached) {
        level = cached;
        continue;
      }
      level = resize(level, {
        width: Math.max(1, Math.round(level.width / 2)),
        height: Math.max(1, Math.round(level.height / 2)),
      });
      levels.set(f, level);
    }
    return { image: level, factor: img.width / level.width };
  }

  /** Align a face to the embedder's template (e.g. ArcFace 112×112). */
  alignFace(img: RasterImage, face: DetectedFace): RasterImage {
    const spec = this.profile.embedder;
    const dst = spec.template.map(([x, y]) => ({ x, y }));
    const m0 = estimateSimilarity(face.landmarks5, dst);
    const scale = Math.hypot(m0[0], m0[3]);
    const { image, factor } = this.#level(img, 1 / scale);
    const src = face.landmarks5.map((p) => ({ x: p.x / factor, y: p.y / factor }));
    return warpAffine(image, estimateSimilarity(src, dst), { width: spec.size, height: spec.size });
  }

  /** Template and source → crop transform of {@link FaceVerifier.alignFace}, for the quality gate. */
  #alignedGeometry(face: DetectedFace): AlignedFaceGeometry {
    const { template } = this.profile.embedder;
    return {
      template,
      toAligned: estimateSimilarity(
        face.landmarks5,
        template.map(([x, y]) => ({ x, y })),
      ),
    };
  }

  async #embedAligned(aligned: RasterImage): Promise<Float32Array> {
    const spec = this.profile.embedder;
    const data = imageToTensor(aligned, spec.model.format);
    const dims = [1, 3, spec.size, spec.size];
    const out = await runModel(this.#ort, this.#live().embedder, spec.model, data, dims);
    const v = out[spec.model.outputs[0] ?? 'output'] ?? new Float32Array();
    if (!spec.flipAugment) return normalizeVector(v);
    const flipped = await runModel(
      this.#ort,
      this.#live().embedder,
      spec.model,
      flipTensor(data, 3, spec.size, spec.size),
      dims,
    );
    const w = flipped[spec.model.outputs[0] ?? 'output'] ?? new Float32Array();
    const a = normalizeVector(v);
    const b = normalizeVector(w);
    return normalizeVector(a.map((x, i) => x + (b[i] ?? 0)));
  }

  /**
   * Detect, pick, align and embed the face of an image, with the quality gate.
   * @param input - Encoded bytes or decoded pixels.
   * @param options - See {@link AnalyzeOptions}.
   * @returns The L2-normalised embedding with quality, or `no-face`.
   * @throws FaceError `face/closed`; SmartCitizenError `image/*` when the bytes cannot be decoded.
   */
  async embed(input: FaceImageInput, options: AnalyzeOptions = {}): Promise<EmbedResult> {
    const timings = emptyTimings();
    const d = await this.decode(input, timings);
    return this.#embedDecoded(d, options.referenceType ?? 'photo', timings);
  }

  async #embedDecoded(d: Decoded, referenceType: ReferenceType, timings: StageTimings): Promise<EmbedResult> {
    const { image } = d;
    const issues = [...d.issues];
    if (image.width < 24 || image.height < 24) {
      issues.push(issue('face/image-too-small', 'error', `image is ${image.width}×${image.height} px`));
      return { status: 'no-face', faceCount: 0, issues, timings, width: image.width, height: image.height };
    }
    const faces = await this.#detect(image, timings);
    const face = faces[0];
    if (!face) {
      issues.push(issue('face/no-face', 'error', 'no face was found'));
      return { status: 'no-face', faceCount: 0, issues, timings, width: image.width, height: image.height };
    }
    const area = (f: DetectedFace) => f.box.width * f.box.height;
    const others = faces.slice(1).filter((f) => area(f) >= 0.25 * area(face)).length;
    if (faces.length > 1) {
      issues.push(
        issue(
          'face/several-faces',
          others > 0 ? 'warning' : 'info',
          `${faces.length} faces found; the ${this.#pick} one was used`,
        ),
      );
    }
    const t0 = now();
    let aligned: RasterImage;
    try {
      aligned = this.alignFace(image, face);
    } catch (err) {
      // Five coinciding points (a degenerate detection) cannot be aligned: no usable face.
      if (!isSmartCitizenError(err, 'geometry/degenerate')) throw err;
      issues.push(issue('face/no-face', 'error', 'the face landmarks are degenerate'));
      return { status: 'no-face', faceCount: 0, issues, timings, width: image.width, height: image.height };
    }
    timings.align += now() - t0;
    const t1 = now();
    const embedding = await this.#embedAligned(aligned);
    timings.embed += now() - t1;
    const quality = assessQuality(
      {
        box: face.box,
        landmarks5: face.landmarks5,
        landmarks68: face.landmarks68,
        aligned,
        imageWidth: image.width,
        imageHeight: image.height,
        neutralNoseRatio: this.profile.neutralNoseRatio,
        geometry: this.#alignedGeometry(face),
      },
      this.#limits[referenceType],
    );
    issues.push(...quality.issues);
    return {
      status: 'ok',
      embedding,
      face,
      faceCount: faces.length,
      quality,
      issues,
      timings,
      width: image.width,
      height: image.height,
    };
  }

  /**
   * Compare a probe (the live capture) with a reference (a photo, a card portrait, or a stored
   * L2-normalised embedding).
   * @param probe - The live capture.
   * @param reference - The reference image, or its embedding from {@link FaceVerifier.embed}.
   * @param options - `referenceType` picks the threshold and quality limits of the reference. @default { referenceType: 'photo' }
   * @returns `compared` with score, threshold, match and quality, or `no-face`.
   */
  async verify(
    probe: FaceImageInput,
    reference: FaceImageInput | Float32Array,
    options: AnalyzeOptions = {},
  ): Promise<VerifyResult> {
    const t0 = now();
    const referenceType = options.referenceType ?? 'photo';
    const p = await this.embed(probe, { referenceType: 'photo' });
    const r = reference instanceof Float32Array ? reference : await this.embed(reference, { referenceType });
    return this.compare(p, r, { referenceType, startedAt: t0 });
  }

  /**
   * Decide on two results of {@link FaceVerifier.embed} (or an embedding for the reference),
   * without touching any image again: what {@link FaceVerifier.verify} does after embedding.
   * @param probe - Embed result of the live capture.
   * @param reference - Embed result of the reference, or its stored embedding.
   * @param options - `referenceType` as in `verify`; `startedAt` (a `performance.now()` value) for `ms`.
   * @returns The comparison.
   */
  compare(
    probe: EmbedResult,
    reference: EmbedResult | Float32Array,
    options: AnalyzeOptions & { startedAt?: number } = {},
  ): VerifyResult {
    const t0 = options.startedAt ?? now();
    const referenceType = options.referenceType ?? 'photo';
    const p = probe;
    const r = reference instanceof Float32Array ? undefined : reference;
    const issues: Issue[] = [
      ...p.issues.map((i) => ({ ...i, path: 'probe' })),
      ...(r?.issues ?? []).map((i) => ({ ...i, path: 'reference' })),
    ];
    const refVec = reference instanceof Float32Array ? reference : r?.status === 'ok' ? r.embedding : undefined;
    if (p.status !== 'ok' || !refVec) {
      const side = p.status !== 'ok' && !refVec ? 'both' : p.status !== 'ok' ? 'probe' : 'reference';
      return { status: 'no-face', side, match: false, issues, ms: now() - t0 };
    }
    if (refVec.length !== p.embedding.length) {
      throw new RangeError(`reference embedding has ${refVec.length} values, expected ${p.embedding.length}`);
    }
    const score = cosineSimilarity(p.embedding, refVec);
    const threshold = this.thresholds[referenceType];
    const qualityOk = p.quality.passed && (r?.status !== 'ok' || r.quality.passed);
    const decision = !qualityOk ? 'poor-quality' : score >= threshold ? 'match' : 'no-match';
    return {
      status: 'compared',
      score,
      threshold,
      match: decision === 'match',
      decision,
      referenceType,
      quality: { probe: p.quality, reference: r?.status === 'ok' ? r.quality : null },
      faceCount: { probe: p.faceCount, reference: r?.status === 'ok' ? r.faceCount : null },
      issues,
      ms: now() - t0,
    };
  }

  /**
   * Passive liveness of the chosen face: the profile's anti-spoofing nets on enlarged crops.
   * @param input - A camera frame.
   * @returns The live score (0–1) and decision, or `no-face`.
   */
  async liveness(input: FaceImageInput): Promise<LivenessResult> {
    const t0 = now();
    const timings = emptyTimings();
    const d = await this.decode(input, timings);
    const faces = await this.#detect(d.image, timings);
    const face = faces[0];
    const issues = [...d.issues];
    if (!face) {
      issues.push(issue('face/no-face', 'error', 'no face was found'));
      return { status: 'no-face', live: false, faceCount: 0, issues, ms: now() - t0 };
    }
    if (faces.length > 1) issues.push(issue('face/several-faces', 'warning', `${faces.length} faces found`));
    const perModel = await this.livenessScores(d.image, face);
    if (perModel.length === 0) throw new FaceError('face/model-missing', 'liveness models were not loaded');
    const score = perModel.reduce((a, b) => a + b, 0) / perModel.length;
    const threshold = this.thresholds.liveness;
    return {
      status: 'ok',
      score,
      perModel,
      threshold,
      live: score >= threshold,
      face,
      faceCount: faces.length,
      issues,
      ms: now() - t0,
    };
  }

  /** Live probability of each liveness net for one face of a decoded image. @internal */
  async livenessScores(img: RasterImage, face: DetectedFace): Promise<number[]> {
    const s = this.#live();
    const scores: number[] = [];
    for (const [i, m] of this.profile.liveness.models.entries()) {
      const session = s.liveness[i];
      if (!session) break;
      const crop = enlargedBox(face.box, m.boxScale, img.width, img.height);
      const patch = this.#cropResize(img, crop, m.size, m.size, false);
      const data = imageToTensor(patch, m.model.format);
      const out = await runModel(this.#ort, session, m.model, data, [1, 3, m.size, m.size]);
      const probs = softmax(out[m.model.outputs[0] ?? 'output'] ?? new Float32Array());
      scores.push(probs[m.liveClass] ?? 0);
    }
    return scores;
  }

  /**
   * Landmarks of the chosen face in one video frame, for the active challenge.
   * @param input - The frame.
   * @param timestampMs - Its capture time.
   * @returns A {@link ChallengeFrame}.
   */
  async analyzeFrame(input: FaceImageInput, timestampMs: number): Promise<ChallengeFrame> {
    const { faces } = await this.detect(input);
    const face = faces[0];
    if (!face) return { timestampMs, faces: 0 };
    return { timestampMs, faces: faces.length, landmarks5: face.landmarks5, landmarks68: face.landmarks68 };
  }

  /** Full analysis of a decoded image with timings per stage (used by the benchmark). @internal */
  async analyze(
    input: FaceImageInput,
    options: AnalyzeOptions & { liveness?: boolean } = {},
  ): Promise<{ embed: EmbedResult; liveness: number[] | null; timings: StageTimings }> {
    const timings = emptyTimings();
    const d = await this.decode(input, timings);
    const e = await this.#embedDecoded(d, options.referenceType ?? 'photo', timings);
    let live: number[] | null = null;
    if (options.liveness && e.status === 'ok') {
      const t0 = now();
      live = await this.livenessScores(d.image, e.face);
      timings.liveness += now() - t0;
    }
    return { embed: e, liveness: live, timings };
  }

  /** Release every session. Safe to call more than once. */
  async close(): Promise<void> {
    const s = this.#sessions;
    if (!s) return;
    this.#sessions = undefined;
    const all = new Set([s.detector, s.landmarks, s.embedder, ...s.liveness]);
    await Promise.all([...all].map((x) => x.release().catch(() => undefined)));
  }

  /** Same as {@link FaceVerifier.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
