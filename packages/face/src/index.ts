// Public API of @smart-citizen/face.
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './FaceVerifier.js';
export * from './evidence.js';
export * from './errors.js';
export {
  ARCFACE_TEMPLATE_112,
  builtinProfiles,
  defaultProfile,
  facepluginProfile,
  profileModelFiles,
  yunetMiniFasNetProfile,
} from './profiles.js';
export type {
  BuiltinProfileId,
  DetectorSpec,
  EmbedderSpec,
  FaceModelProfile,
  Landmark68Spec,
  LivenessModelSpec,
  LivenessSpec,
  ModelFileSpec,
  ModelOrigin,
  ProfileThresholds,
  TensorFormat,
  UltrafaceDetectorSpec,
  YunetDetectorSpec,
} from './profiles.js';
export * from './profileSchema.js';
export type { FaceBackend, ModelLocations, ModelSource, RuntimeOptions } from './runtime.js';
export { assessQuality, defaultQualityLimits, facePixelMask, laplacianVariance } from './quality.js';
export type { AlignedFaceGeometry, FaceQuality, QualityLimits, ReferenceType } from './quality.js';
export * from './pose.js';
export * from './challenge.js';
export * from './evaluate.js';
export type { Box } from './geometry.js';
