import builtinModels from './builtinModels.json' with { type: 'json' };

/**
 * Model profiles are data: which files to load (with their SHA-256), the tensor names and
 * shapes, the colour order and normalisation each model expects, and how the face is cropped
 * for it. An integrator can declare a new profile that reuses a known model kind (a YuNet or
 * UltraFace detector, a 68-point landmark net, an ArcFace-style embedder, MiniFASNet-style
 * anti-spoofing nets) with other files, normalisation or thresholds without writing code.
 */

/** Where a profile's model file comes from by default. */
export type ModelOrigin =
  /**
   * Shipped in the npm package `@smart-citizen/face-models` (its `models/` folder; Node resolves
   * it). Every file of the default profile has this origin, and that package ships exactly the
   * built-in profiles' files of this origin (`models.packageDir` moves the folder).
   */
  | 'models-package'
  /** A folder the integrator gives (`models.dir`) or bytes in `models.files`. */
  | 'integrator';

/** Channel order and normalisation of an image tensor: value = (pixel − mean) / std. */
export interface TensorFormat {
  /** Channel order of the NCHW tensor. */
  colour: 'rgb' | 'bgr' | 'grey';
  /** Subtracted from each 0–255 pixel. */
  mean: number;
  /** Divides the centred pixel. */
  std: number;
}

/** One ONNX file of a profile. */
export interface ModelFileSpec {
  /** File name, looked up under the origin's folder or as a key of `models.files`. */
  file: string;
  origin: ModelOrigin;
  /** Lower-case hex SHA-256 of the file; checked at load. */
  sha256: string;
  /** Input tensor name. */
  input: string;
  /** Input shape; strings are dynamic dimensions. */
  inputShape: readonly (number | string)[];
  /** Output tensor names, in the order the decoder reads them. */
  outputs: readonly string[];
  format: TensorFormat;
}

/** YuNet: anchor-free detector with 5 landmarks, any input size that is a multiple of 32. */
export interface YunetDetectorSpec {
  kind: 'yunet';
  model: ModelFileSpec;
  /** Longest side the image is resized to before detection. @default 640 */
  inputSize: number;
  strides: readonly number[];
  scoreThreshold: number;
  nmsIou: number;
}

/** UltraFace (RFB-320): fixed input, decoded corner boxes normalised to [0, 1], no landmarks. */
export interface UltrafaceDetectorSpec {
  kind: 'ultraface';
  model: ModelFileSpec;
  /** Fixed input width and height. */
  inputWidth: number;
  inputHeight: number;
  scoreThreshold: number;
  nmsIou: number;
  /** Make the box square on its height around its centre (what the landmark net was fed). */
  squareOnHeight: boolean;
}

export type DetectorSpec = YunetDetectorSpec | UltrafaceDetectorSpec;

/** 68-point landmark net on a square grey crop of the face box; outputs x,y in [0, 1] of the crop. */
export interface Landmark68Spec {
  kind: 'landmark68';
  model: ModelFileSpec;
  /** Crop side fed to the net. */
  size: number;
  /** Box enlargement before cropping. */
  boxScale: number;
}

/** ArcFace-style embedder on a 5-point similarity-aligned crop. */
export interface EmbedderSpec {
  kind: 'arcface';
  model: ModelFileSpec;
  /** Crop size (width = height). */
  size: number;
  /** The 5-point template in crop pixels: left eye, right eye, nose, left mouth, right mouth (image left first). */
  template: readonly (readonly [number, number])[];
  /** Embedding length. */
  dimensions: number;
  /** Also embed the mirrored crop and add the two vectors (slower, slightly more robust). */
  flipAugment: boolean;
}

/** One passive anti-spoofing net on the face box enlarged `boxScale` times around its centre. */
export interface LivenessModelSpec {
  model: ModelFileSpec;
  /** Box enlargement (clamped so the crop stays inside the image, as in Silent-Face). */
  boxScale: number;
  /** Crop side. */
  size: number;
  /** Index of the "live" class in the softmax output. */
  liveClass: number;
}

/** Passive liveness: the live probabilities of the nets are averaged. */
export interface LivenessSpec {
  kind: 'softmax-ensemble';
  models: readonly LivenessModelSpec[];
}

/**
 * Decision thresholds of a profile (cosine similarity of L2-normalised embeddings). The
 * built-in values are the threshold at FAR 1e-3 measured on ../shared/data/face/deepface
 * (rounded up to 0.01): `photo` on all photo pairs (`pnpm bench face`); for the default profile,
 * `id-card-portrait` on live photos against portraits cut from photographed generated cards,
 * levels 1–3 pooled, tuning half (`pnpm bench face-card`: 0.365 → 0.37; report-half FAR 0–0.1%,
 * FRR 0–1.4% per level); the `faceplugin` profile keeps its photo-versus-shrunk-copy estimate.
 * That set is small (13 people) and held out by identity (`crossValidateByIdentity`) the rule
 * gives FAR 0.4% instead of 0.1% on both. Recalibrate on your own captures with `evaluateScores`.
 */
export interface ProfileThresholds {
  /** Probe against a live capture or a good photo. */
  photo: number;
  /** Probe against an ID-card portrait (small, printed, behind a hologram). */
  'id-card-portrait': number;
  /**
   * Probe against the chip's DG2 portrait. @default the `photo` threshold: a chip portrait is a
   * frontal photo; `pnpm bench chip` measures live-versus-chip-portrait scores (JPEG 2000 of
   * another photo of the person) against it.
   */
  'chip-portrait'?: number;
  /** Passive liveness score at or above which a face is called live. */
  liveness: number;
}

/** A complete model profile. */
export interface FaceModelProfile {
  id: string;
  description: string;
  detector: DetectorSpec;
  landmarks: Landmark68Spec;
  embedder: EmbedderSpec;
  liveness: LivenessSpec;
  thresholds: ProfileThresholds;
  /**
   * Where the nose sits between the eye line (0) and the mouth line (1) on a frontal face with
   * this profile's five points; the zero of the pitch estimate (median of the deepface photos).
   */
  neutralNoseRatio: number;
}

/** ArcFace 112×112 five-point template (image-left eye first). */
export const ARCFACE_TEMPLATE_112: readonly (readonly [number, number])[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/**
 * The files of `@smart-citizen/face-models` (the data file `builtinModels.json`: SHA-256, input
 * shape, output names and tensor format of each); every input tensor is named `input`.
 */
type PackagedFile = keyof typeof builtinModels;

function packagedModel(file: PackagedFile): ModelFileSpec {
  const { sha256, inputShape, outputs, format } = builtinModels[file];
  return {
    file,
    origin: 'models-package',
    sha256,
    input: 'input',
    inputShape,
    outputs,
    format: format as TensorFormat,
  };
}

/** A Silent-Face MiniFASNet: 80×80 crop of the box enlarged `boxScale` times, class 1 = live. */
function miniFasNet(file: PackagedFile, boxScale: number): LivenessModelSpec {
  return { model: packagedModel(file), boxScale, size: 80, liveClass: 1 };
}

const frLandmark: Landmark68Spec = {
  kind: 'landmark68',
  model: packagedModel('fr_landmark.onnx'),
  size: 64,
  boxScale: 1,
};

const embedder: EmbedderSpec = {
  kind: 'arcface',
  model: packagedModel('fr_feature.onnx'),
  size: 112,
  template: ARCFACE_TEMPLATE_112,
  dimensions: 512,
  flipAugment: false,
};

/**
 * `faceplugin`: every model from the npm package `faceplugin-face-recognition-js@0.0.1`
 * (UltraFace detector, 68-point landmarks, 512-d embedder, 128×128 liveness net). It was the
 * default until session 5; on card portraits its UltraFace box and 68-point-derived five points
 * align worse than YuNet's own points (see the README's face-card table). Same embedder as
 * `default`, so templates stay comparable. Thresholds calibrated on ../shared/data/face/deepface.
 */
export const facepluginProfile: FaceModelProfile = {
  id: 'faceplugin',
  description: 'faceplugin-face-recognition-js models: UltraFace-320 + 68 landmarks + fr_feature + fr_liveness',
  detector: {
    kind: 'ultraface',
    model: packagedModel('fr_detect.onnx'),
    inputWidth: 320,
    inputHeight: 240,
    scoreThreshold: 0.7,
    nmsIou: 0.3,
    squareOnHeight: true,
  },
  landmarks: frLandmark,
  embedder,
  liveness: {
    kind: 'softmax-ensemble',
    models: [
      {
        // Its tensor format and live class were determined on the Silent-Face samples and deepface
        // photos: BGR 0–255, class 0 = live (the package's browser code reads the canvas as RGBA,
        // which looks like a bug).
        model: packagedModel('fr_liveness.onnx'),
        boxScale: 2.7,
        size: 128,
        liveClass: 0,
      },
    ],
  },
  thresholds: { photo: 0.45, 'id-card-portrait': 0.39, liveness: 0.5 },
  neutralNoseRatio: 0.56,
};

/**
 * `default`: YuNet (detection + its own 5 landmarks, Apache-2.0), the 68-point landmark net (eye
 * aspect ratio), the `fr_feature` embedder and the two MiniFASNet anti-spoofing nets
 * (Apache-2.0) — the most accurate pipeline measured (`pnpm bench face`, `pnpm bench face-card`).
 * Every file ships in `@smart-citizen/face-models`.
 */
export const defaultProfile: FaceModelProfile = {
  id: 'default',
  description: 'YuNet + 68 landmarks + fr_feature + MiniFASNetV2 (2.7×) / MiniFASNetV1SE (4.0×)',
  detector: {
    kind: 'yunet',
    model: packagedModel('yunet_n_dynamic.onnx'),
    // 416 or 320 px cost less than half the detector time but coarsen the five points (yaw of
    // turned faces reads ~0.8× of the 640 px value) and lower card-reference TAR; see the README.
    inputSize: 640,
    strides: [8, 16, 32],
    scoreThreshold: 0.6,
    nmsIou: 0.3,
  },
  landmarks: frLandmark,
  embedder,
  liveness: {
    kind: 'softmax-ensemble',
    models: [
      miniFasNet('silentface_2.7_80x80_MiniFASNetV2.onnx', 2.7),
      miniFasNet('silentface_4_0_0_80x80_MiniFASNetV1SE.onnx', 4),
    ],
  },
  thresholds: { photo: 0.41, 'id-card-portrait': 0.37, liveness: 0.5 },
  neutralNoseRatio: 0.6,
};

/**
 * `yunet-minifasnet`: the name of the `default` pipeline before it became the default (same
 * models, thresholds and scores), kept so that existing configurations keep working.
 * @deprecated Use `default`.
 */
export const yunetMiniFasNetProfile: FaceModelProfile = { ...defaultProfile, id: 'yunet-minifasnet' };

/** Ids of the built-in profiles. */
export type BuiltinProfileId = 'default' | 'faceplugin' | 'yunet-minifasnet';

/** Built-in profiles by id. */
export const builtinProfiles: Readonly<Record<BuiltinProfileId, FaceModelProfile>> = {
  default: defaultProfile,
  faceplugin: facepluginProfile,
  'yunet-minifasnet': yunetMiniFasNetProfile,
};

/** Each model role of a profile with its file spec and the JSON pointer of that spec. @internal */
export function profileModelRoles(profile: FaceModelProfile): [pointer: string, spec: ModelFileSpec][] {
  return [
    ['/detector/model', profile.detector.model],
    ['/landmarks/model', profile.landmarks.model],
    ['/embedder/model', profile.embedder.model],
    ...profile.liveness.models.map((m, i): [string, ModelFileSpec] => [`/liveness/models/${i}/model`, m.model]),
  ];
}

/** Every model file a profile needs, without duplicates (the same file may serve two roles). */
export function profileModelFiles(profile: FaceModelProfile): ModelFileSpec[] {
  const seen = new Map<string, ModelFileSpec>();
  for (const [, m] of profileModelRoles(profile)) if (!seen.has(m.file)) seen.set(m.file, m);
  return [...seen.values()];
}
