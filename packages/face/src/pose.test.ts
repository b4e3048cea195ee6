import { describe, expect, it } from 'vitest';
import type { Point } from './geometry.js';
import { estimatePose, eyeAspectRatio } from './pose.js';
import { ARCFACE_TEMPLATE_112 } from './profiles.js';

/**
 * Project a simple 3D face (eyes and mouth in the z = 0 plane, nose tip 0.55 inter-ocular
 * distances in front) after a head rotation, the way a camera far away sees it.
 */
function projectFace(yawDeg: number, pitchDeg: number, rollDeg: number): Point[] {
  const iod = 60;
  const pts3 = [
    [-iod / 2, 0, 0],
    [iod / 2, 0, 0],
    [0, 0.49 * 70, -0.55 * iod],
    [-25, 70, 0],
    [25, 70, 0],
  ] as const;
  const [y, p, r] = [yawDeg, pitchDeg, rollDeg].map((d) => (d * Math.PI) / 180) as [number, number, number];
  return pts3.map(([x0, y0, z0]) => {
    // Yaw about the vertical axis: a nose in front (z < 0) moves to +x for positive yaw.
    const x1 = x0 * Math.cos(y) - z0 * Math.sin(y);
    const z1 = x0 * Math.sin(y) + z0 * Math.cos(y);
    // Pitch about the horizontal axis: nose moves down (+y) for positive pitch.
    const y2 = y0 * Math.cos(p) - z1 * Math.sin(p);
    // Roll in the image plane.
    return { x: 300 + x1 * Math.cos(r) - y2 * Math.sin(r), y: 200 + x1 * Math.sin(r) + y2 * Math.cos(r) };
  });
}

describe('estimatePose', () => {
  it('reads a frontal ArcFace template as near zero', () => {
    const pose = estimatePose(ARCFACE_TEMPLATE_112.map(([x, y]) => ({ x, y })));
    expect(Math.abs(pose.yaw)).toBeLessThan(2);
    expect(Math.abs(pose.pitch)).toBeLessThan(2);
    expect(Math.abs(pose.roll)).toBeLessThan(1);
  });

  it('recovers sign and size of yaw and pitch from projected synthetic faces, under roll', () => {
    for (const yaw of [-40, -20, 0, 20, 40]) {
      for (const pitch of [-20, 0, 20]) {
        for (const roll of [-25, 0, 25]) {
          const est = estimatePose(projectFace(yaw, pitch, roll));
          if (yaw === 0 || pitch === 0) {
            expect(est.roll).toBeCloseTo(roll, 0);
            expect(Math.abs(est.yaw - yaw)).toBeLessThan(2);
            expect(Math.abs(est.pitch - pitch)).toBeLessThan(2);
          } else {
            // Yaw and pitch together tilt the eye line, which the five-point model reads as
            // roll: only the signs survive (a documented limit).
            expect(Math.sign(est.yaw)).toBe(Math.sign(yaw));
            expect(Math.sign(est.pitch)).toBe(Math.sign(pitch));
          }
        }
      }
    }
  });

  it('returns zeros for too few points', () => {
    expect(estimatePose([])).toEqual({ yaw: 0, pitch: 0, roll: 0 });
  });
});

describe('eyeAspectRatio', () => {
  it('is high for an open eye and low for a closed one', () => {
    const eye = (open: number): Point[] => [
      { x: 0, y: 0 },
      { x: 10, y: -open },
      { x: 20, y: -open },
      { x: 30, y: 0 },
      { x: 20, y: open },
      { x: 10, y: open },
    ];
    expect(eyeAspectRatio(eye(5))).toBeCloseTo(10 / 30);
    expect(eyeAspectRatio(eye(0.5))).toBeLessThan(0.05);
    expect(eyeAspectRatio([])).toBe(0);
  });
});
