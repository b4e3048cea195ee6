import { describe, expect, it } from 'vitest';
import { type ChallengeFrame, createActiveChallenge, runActiveChallenge } from './challenge.js';
import type { Point } from './geometry.js';

/** A synthetic face: 5 and 68 points for a head at `yaw` degrees with eyes `open` (0 closed … 1 open). */
function face(yawDeg: number, open: number): { landmarks5: Point[]; landmarks68: Point[] } {
  const iod = 60;
  const t = Math.tan((yawDeg * Math.PI) / 180);
  const cx = 320;
  const cy = 240;
  const nose = { x: cx + 0.55 * iod * t, y: cy + 35 };
  const landmarks5 = [
    { x: cx - iod / 2, y: cy },
    { x: cx + iod / 2, y: cy },
    nose,
    { x: cx - 25, y: cy + 70 },
    { x: cx + 25, y: cy + 70 },
  ];
  const landmarks68: Point[] = Array.from({ length: 68 }, () => ({ x: cx, y: cy + 40 }));
  const eye = (ex: number, start: number) => {
    const h = 5 * open;
    const pts = [
      { x: ex - 15, y: cy },
      { x: ex - 5, y: cy - h },
      { x: ex + 5, y: cy - h },
      { x: ex + 15, y: cy },
      { x: ex + 5, y: cy + h },
      { x: ex - 5, y: cy + h },
    ];
    pts.forEach((p, i) => {
      landmarks68[start + i] = p;
    });
  };
  eye(cx - iod / 2, 36);
  eye(cx + iod / 2, 42);
  return { landmarks5, landmarks68 };
}

function frames(seq: { yaw: number; open: number }[], stepMs = 100, faces = 1): ChallengeFrame[] {
  return seq.map((s, i) => ({ timestampMs: 1000 + i * stepMs, faces, ...face(s.yaw, s.open) }));
}

const still = (n: number, yaw = 0) => Array.from({ length: n }, () => ({ yaw, open: 1 }));

describe('active challenge on synthetic landmark sequences', () => {
  it('passes a blink: open, closed, open', async () => {
    const seq = [...still(5), { yaw: 0, open: 0.5 }, { yaw: 0, open: 0.1 }, { yaw: 0, open: 0.2 }, ...still(3)];
    const r = await runActiveChallenge(frames(seq), { challenges: ['blink'] });
    expect(r.status).toBe('passed');
    expect(r.passed).toEqual(['blink']);
  });

  it('does not pass a half-closed squint or eyes that never reopen', async () => {
    const squint = [...still(5), ...Array.from({ length: 5 }, () => ({ yaw: 0, open: 0.75 })), ...still(3)];
    expect((await runActiveChallenge(frames(squint), { challenges: ['blink'] })).status).toBe('pending');
    const shut = [...still(5), ...Array.from({ length: 8 }, () => ({ yaw: 0, open: 0.1 }))];
    expect((await runActiveChallenge(frames(shut), { challenges: ['blink'] })).status).toBe('pending');
  });

  it('passes turn-left then turn-right, in order, and says which passed', async () => {
    const seq = [
      ...still(3),
      { yaw: 12, open: 1 },
      { yaw: 28, open: 1 },
      ...still(2),
      { yaw: -15, open: 1 },
      { yaw: -30, open: 1 },
    ];
    const r = await runActiveChallenge(frames(seq), { challenges: ['turn-left', 'turn-right'] });
    expect(r.status).toBe('passed');
    expect(r.passed).toEqual(['turn-left', 'turn-right']);
  });

  it('a turn the wrong way does not count; mirrored frames swap the sides', async () => {
    const right = [...still(3), { yaw: -30, open: 1 }, { yaw: -32, open: 1 }];
    const r = await runActiveChallenge(frames(right), { challenges: ['turn-left'] });
    expect(r.status).toBe('pending');
    expect(r.current).toBe('turn-left');
    const m = await runActiveChallenge(frames(right), { challenges: ['turn-left'], mirrored: true });
    expect(m.status).toBe('passed');
  });

  it('a turn must start from a frontal pose (a profile photo held up does not pass)', async () => {
    const r = await runActiveChallenge(frames(still(10, 35)), { challenges: ['turn-left'] });
    expect(r.status).toBe('pending');
  });

  it('fails on timeout, with the challenges already passed', async () => {
    const seq = [...still(3), { yaw: 30, open: 1 }, ...still(40)];
    const r = await runActiveChallenge(frames(seq, 200), { challenges: ['turn-left', 'blink'], timeoutMs: 5000 });
    expect(r.status).toBe('failed');
    expect(r.reason).toBe('timeout');
    expect(r.passed).toEqual(['turn-left']);
    expect(r.elapsedMs).toBeGreaterThan(5000);
  });

  it('times out without new frames when asked with a timestamp', () => {
    const c = createActiveChallenge({ challenges: ['blink'], timeoutMs: 1000 });
    const [first] = frames(still(1));
    if (first) c.push(first);
    expect(c.result(1500).status).toBe('pending');
    expect(c.result(2500).reason).toBe('timeout');
  });

  it('fails when a second face appears; frames without a face are counted and skipped', async () => {
    const two = frames(still(3), 100, 2);
    expect((await runActiveChallenge(two, { challenges: ['blink'] })).reason).toBe('several-faces');
    const c = createActiveChallenge({ challenges: ['turn-right'] });
    c.push({ timestampMs: 0, faces: 0 });
    const r = c.push({ timestampMs: 10, faces: 0 });
    expect(r.framesWithoutFace).toBe(2);
    expect(r.status).toBe('pending');
  });

  it('blink without 68 points fails with no-landmarks', () => {
    const c = createActiveChallenge({ challenges: ['blink'] });
    const f = face(0, 1);
    expect(c.push({ timestampMs: 0, faces: 1, landmarks5: f.landmarks5 }).reason).toBe('no-landmarks');
  });

  it('accepts async frame streams', async () => {
    async function* gen() {
      for (const f of frames([...still(2), { yaw: -25, open: 1 }])) yield f;
    }
    expect((await runActiveChallenge(gen(), { challenges: ['turn-right'] })).status).toBe('passed');
  });
});
