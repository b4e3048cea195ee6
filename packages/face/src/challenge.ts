import type { Point } from './geometry.js';
import { estimatePose, eyesAspectRatio } from './pose.js';

/** An action the person is asked to do in front of the camera. */
export type ChallengeKind = 'blink' | 'turn-left' | 'turn-right';

/** Landmarks of the chosen face in one video frame (see `FaceVerifier.analyzeFrame`). */
export interface ChallengeFrame {
  /** Capture time in milliseconds (any origin, increasing). */
  timestampMs: number;
  /** Number of faces found in the frame. */
  faces: number;
  /** Five points of the chosen face (absent when no face). */
  landmarks5?: readonly Point[];
  /** 68 points of the chosen face (needed for blinks). */
  landmarks68?: readonly Point[];
}

/** Options of {@link createActiveChallenge}. */
export interface ActiveChallengeOptions {
  /** Challenges to pass, in order. */
  challenges: readonly ChallengeKind[];
  /** Time allowed from the first frame for all of them. @default 10000 */
  timeoutMs?: number;
  /** The frames are mirrored (a selfie preview): swaps left and right. @default false */
  mirrored?: boolean;
  /** Yaw in degrees that counts as a turn. @default 20 */
  turnDegrees?: number;
  /** Yaw in degrees under which the head counts as frontal (a turn must start from there). @default 10 */
  frontalDegrees?: number;
  /** Eyes count as closed below this share of the open-eye aspect ratio. @default 0.6 */
  closedRatio?: number;
  /** Eyes count as open again above this share of the open-eye aspect ratio. @default 0.85 */
  reopenRatio?: number;
}

/** Progress or outcome of an active challenge. */
export interface ActiveChallengeResult {
  status: 'pending' | 'passed' | 'failed';
  /** Challenges passed so far, in order. */
  passed: ChallengeKind[];
  /** The challenge being waited for (absent when done). */
  current?: ChallengeKind;
  /** Why it failed. */
  reason?: 'timeout' | 'several-faces' | 'no-landmarks';
  /** Time from the first frame. */
  elapsedMs: number;
  /** Frames seen and frames without a face. */
  frames: number;
  framesWithoutFace: number;
}

/** A stateful challenge fed frame by frame. */
export interface ActiveChallenge {
  /** Feed one frame; returns the progress after it. Frames after the end are ignored. */
  push(frame: ChallengeFrame): ActiveChallengeResult;
  /** Progress so far; call with a timestamp to apply the timeout without a new frame. */
  result(nowMs?: number): ActiveChallengeResult;
}

/**
 * Create an active liveness challenge driven by landmarks: a blink is an eye aspect ratio
 * falling below `closedRatio` of the open-eye level (the running maximum of recent frames) and
 * rising again; a turn is a yaw beyond `turnDegrees` in the asked direction after a frontal
 * frame. "Left" is the person's own left: their nose moves towards the right of an
 * unmirrored camera image.
 * @param options - See {@link ActiveChallengeOptions}.
 * @returns The challenge.
 */
export function createActiveChallenge(options: ActiveChallengeOptions): ActiveChallenge {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const turn = options.turnDegrees ?? 20;
  const frontal = options.frontalDegrees ?? 10;
  const closedRatio = options.closedRatio ?? 0.6;
  const reopenRatio = options.reopenRatio ?? 0.85;
  const sign = options.mirrored ? -1 : 1;
  const remaining = [...options.challenges];
  const passed: ChallengeKind[] = [];
  let start: number | undefined;
  let last = 0;
  let frames = 0;
  let framesWithoutFace = 0;
  let failed: ActiveChallengeResult['reason'];
  // Per-challenge state, reset when a challenge passes.
  let sawFrontal = false;
  let openLevel = 0;
  let closed = false;
  const recentEar: number[] = [];

  const snapshot = (): ActiveChallengeResult => {
    const status = failed ? 'failed' : remaining.length === 0 ? 'passed' : 'pending';
    const r: ActiveChallengeResult = {
      status,
      passed: [...passed],
      elapsedMs: start === undefined ? 0 : last - start,
      frames,
      framesWithoutFace,
    };
    const current = remaining[0];
    if (current && !failed) r.current = current;
    if (failed) r.reason = failed;
    return r;
  };
  const nextChallenge = () => {
    const done = remaining.shift();
    if (done) passed.push(done);
    sawFrontal = false;
    closed = false;
  };
  const checkTimeout = (now: number) => {
    if (start !== undefined && remaining.length > 0 && !failed && now - start > timeoutMs) failed = 'timeout';
  };

  return {
    push(frame) {
      if (failed || remaining.length === 0) return snapshot();
      frames++;
      if (start === undefined) start = frame.timestampMs;
      last = Math.max(last, frame.timestampMs);
      checkTimeout(frame.timestampMs);
      if (failed) return snapshot();
      if (frame.faces > 1) {
        failed = 'several-faces';
        return snapshot();
      }
      const p5 = frame.landmarks5;
      if (frame.faces === 0 || !p5 || p5.length < 5) {
        framesWithoutFace++;
        return snapshot();
      }
      const yaw = sign * estimatePose(p5).yaw;
      const ear = frame.landmarks68 && frame.landmarks68.length >= 48 ? eyesAspectRatio(frame.landmarks68) : undefined;
      if (ear !== undefined) {
        recentEar.push(ear);
        if (recentEar.length > 30) recentEar.shift();
        // Open level: the highest EAR of recent frames seen while facing the camera.
        if (Math.abs(yaw) < frontal) openLevel = Math.max(...recentEar);
      }
      const current = remaining[0];
      if (current === 'turn-left' || current === 'turn-right') {
        if (Math.abs(yaw) < frontal) sawFrontal = true;
        const wanted = current === 'turn-left' ? yaw > turn : yaw < -turn;
        if (sawFrontal && wanted) nextChallenge();
      } else if (current === 'blink') {
        if (ear === undefined) {
          failed = 'no-landmarks';
        } else if (openLevel > 0) {
          if (!closed && ear < openLevel * closedRatio) closed = true;
          else if (closed && ear > openLevel * reopenRatio) nextChallenge();
        }
      }
      return snapshot();
    },
    result(nowMs) {
      if (nowMs !== undefined) {
        last = Math.max(last, nowMs);
        checkTimeout(nowMs);
      }
      return snapshot();
    },
  };
}

/**
 * Run a challenge over a stream of frames until it passes, fails or the stream ends.
 * @param frames - Frames in capture order (sync or async iterable).
 * @param options - See {@link ActiveChallengeOptions}.
 * @returns The final result (`pending` when the stream ended first).
 */
export async function runActiveChallenge(
  frames: AsyncIterable<ChallengeFrame> | Iterable<ChallengeFrame>,
  options: ActiveChallengeOptions,
): Promise<ActiveChallengeResult> {
  const challenge = createActiveChallenge(options);
  let r = challenge.result();
  for await (const frame of frames) {
    r = challenge.push(frame);
    if (r.status !== 'pending') break;
  }
  return r;
}
