/**
 * Checking a model profile an integrator declares (in code or as JSON) before anything is
 * loaded: a JSON Schema (draft 2020-12, checked with ajv) for the shape and ranges, then the
 * rules a schema cannot say (output counts per model kind, one file name = one file).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FaceError } from './errors.js';
import { type FaceModelProfile, type ModelFileSpec, profileModelRoles } from './profiles.js';

const num = (minimum: number, maximum: number) => ({ type: 'number', minimum, maximum });
const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const modelFile = object({
  // A bare file name: it is joined to a folder, so no separators and no leading dot.
  file: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$' },
  origin: { enum: ['models-package', 'integrator'] },
  sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  input: text(200),
  inputShape: {
    type: 'array',
    minItems: 1,
    maxItems: 8,
    items: { anyOf: [int(1, 100_000), text(64)] },
  },
  outputs: { type: 'array', minItems: 1, maxItems: 64, items: text(200) },
  format: object({
    colour: { enum: ['rgb', 'bgr', 'grey'] },
    mean: num(-1000, 1000),
    std: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
  }),
});

const detector = {
  oneOf: [
    object({
      kind: { const: 'yunet' },
      model: { $ref: '#/$defs/modelFile' },
      inputSize: int(32, 4096),
      strides: { type: 'array', minItems: 1, maxItems: 8, items: int(1, 1024) },
      scoreThreshold: num(0, 1),
      nmsIou: num(0, 1),
    }),
    object({
      kind: { const: 'ultraface' },
      model: { $ref: '#/$defs/modelFile' },
      inputWidth: int(8, 4096),
      inputHeight: int(8, 4096),
      scoreThreshold: num(0, 1),
      nmsIou: num(0, 1),
      squareOnHeight: { type: 'boolean' },
    }),
  ],
};

/** JSON Schema of a {@link FaceModelProfile} (draft 2020-12); `parseFaceProfile` applies it. */
export const faceProfileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://smart-citizen.dev/schemas/face-profile.json',
  title: 'Smart Citizen face model profile',
  $defs: { modelFile },
  ...object({
    id: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$' },
    description: { type: 'string', maxLength: 500 },
    detector,
    landmarks: object({
      kind: { const: 'landmark68' },
      model: { $ref: '#/$defs/modelFile' },
      size: int(8, 1024),
      boxScale: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
    }),
    embedder: object({
      kind: { const: 'arcface' },
      model: { $ref: '#/$defs/modelFile' },
      size: int(8, 1024),
      template: {
        type: 'array',
        minItems: 5,
        maxItems: 5,
        items: { type: 'array', minItems: 2, maxItems: 2, items: num(0, 1024) },
      },
      dimensions: int(1, 65_536),
      flipAugment: { type: 'boolean' },
    }),
    liveness: object({
      kind: { const: 'softmax-ensemble' },
      models: {
        type: 'array',
        minItems: 1,
        maxItems: 8,
        items: object({
          model: { $ref: '#/$defs/modelFile' },
          boxScale: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
          size: int(8, 1024),
          liveClass: int(0, 999),
        }),
      },
    }),
    thresholds: object(
      { photo: num(-1, 1), 'id-card-portrait': num(-1, 1), 'chip-portrait': num(-1, 1), liveness: num(0, 1) },
      ['photo', 'id-card-portrait', 'liveness'],
    ),
    neutralNoseRatio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
  }),
} as const;

let validator: ValidateFunction | undefined;

/** Compiled once, on first use (ajv compiles to a function; strict mode rejects schema typos). */
function validate(input: unknown): ErrorObject[] {
  try {
    validator ??= new Ajv2020({ allErrors: true, strict: true }).compile(faceProfileSchema);
  } catch (cause) {
    // ajv generates code with `new Function`: a page whose content-security policy lacks
    // 'unsafe-eval' refuses it. Built-in profiles given by name are not validated here.
    throw new FaceError(
      'face/runtime-unavailable',
      "cannot compile the profile validator (a content-security policy without 'unsafe-eval'?)",
      { cause },
    );
  }
  return validator(input) ? [] : (validator.errors ?? []);
}

/** One problem with a profile: where (JSON pointer) and what. */
export interface ProfileProblem {
  path: string;
  message: string;
}

/** Rules beyond the schema, on a profile whose shape is already right. */
function semanticProblems(p: FaceModelProfile): ProfileProblem[] {
  const out: ProfileProblem[] = [];
  const det = p.detector;
  if (det.kind === 'yunet' && det.model.outputs.length !== 4 * det.strides.length) {
    out.push({
      path: '/detector/model/outputs',
      message: `a yunet detector reads cls, obj, bbox and kps per stride: ${4 * det.strides.length} outputs for ${det.strides.length} strides, not ${det.model.outputs.length}`,
    });
  }
  if (det.kind === 'ultraface' && det.model.outputs.length !== 2) {
    out.push({ path: '/detector/model/outputs', message: 'an ultraface detector has 2 outputs: scores, boxes' });
  }
  // profileModelFiles keeps the first spec of each file name: two different specs under one
  // name would silently load one file for both roles.
  const first = new Map<string, ModelFileSpec>();
  for (const [path, spec] of profileModelRoles(p)) {
    const seen = first.get(spec.file);
    if (!seen) first.set(spec.file, spec);
    else if (JSON.stringify(seen) !== JSON.stringify(spec)) {
      out.push({ path, message: `file ${spec.file} is declared twice with different details` });
    }
  }
  return out;
}

/**
 * Check a profile (an object in code, or `JSON.parse` of a profile file) and return it typed.
 *
 * @throws FaceError `face/bad-profile` with `details.problems` (JSON pointer + message each)
 *   when the shape, a range, a file name or a model kind's outputs are wrong;
 *   `face/runtime-unavailable` when the validator cannot be compiled (see below).
 *
 * The schema is compiled by ajv, which generates a function at run time: under a
 * content-security policy without `'unsafe-eval'` only the built-in profiles (given by name,
 * not validated) can be used.
 */
export function parseFaceProfile(input: unknown): FaceModelProfile {
  let problems: ProfileProblem[] = validate(input).map((e) => ({
    path: e.instancePath,
    message: `${e.message ?? 'invalid'}${e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : ''}`,
  }));
  if (problems.length === 0) problems = semanticProblems(input as FaceModelProfile);
  if (problems.length > 0) {
    const shown = problems
      .slice(0, 5)
      .map((x) => `${x.path || '/'} ${x.message}`)
      .join('; ');
    throw new FaceError('face/bad-profile', `the face profile is not valid: ${shown}`, {
      details: { problems: problems.slice(0, 50) },
    });
  }
  return input as FaceModelProfile;
}
