// Public API of @smart-citizen/face.
export { FaceVerifier } from './FaceVerifier.js';
export type {
  AnalyzeOptions,
  DetectedFace,
  EmbedResult,
  FaceImageInput,
  FacePick,
  FaceVerifierOptions,
  LivenessResult,
  StageTimings,
  VerifyResult,
} from './FaceVerifier.js';
export { faceEvidenceVerifiers } from './evidence.js';
export { FaceError } from './errors.js';
export type { FaceErrorCode } from './errors.js';
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
export { faceProfileSchema, parseFaceProfile } from './profileSchema.js';
export type { ProfileProblem } from './profileSchema.js';
export type { FaceBackend, ModelLocations, ModelSource, RuntimeOptions } from './runtime.js';
export { assessQuality, defaultQualityLimits, facePixelMask, laplacianVariance } from './quality.js';
export type { AlignedFaceGeometry, FaceQuality, QualityLimits, ReferenceType } from './quality.js';
export { estimatePose, eyeAspectRatio, eyesAspectRatio } from './pose.js';
export { createActiveChallenge, runActiveChallenge } from './challenge.js';
export type {
  ActiveChallenge,
  ActiveChallengeOptions,
  ActiveChallengeResult,
  ChallengeFrame,
  ChallengeKind,
} from './challenge.js';
export { allPairs, crossValidateByIdentity, evaluateScores } from './evaluate.js';
export type { CrossValidation, LabelledScore, ScoreEvaluation } from './evaluate.js';
export type { Box } from './geometry.js';
