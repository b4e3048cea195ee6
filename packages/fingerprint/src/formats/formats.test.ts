import { isSmartCitizenError } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import type { FingerprintTemplate } from '../types.js';
import { readMinutiaeRecord, writeMinutiaeRecord } from './minutiaeRecord.js';
import { decodeTemplate, encodeTemplate, parseTemplate } from './nativeTemplate.js';

const sample: FingerprintTemplate = {
  width: 388,
  height: 374,
  dpi: 500,
  quality: 71,
  minutiae: [
    { x: 10, y: 20, angle: 0, type: 'ending', quality: 90 },
    { x: 200, y: 301, angle: Math.PI / 2, type: 'bifurcation', quality: 40 },
    { x: 387, y: 1, angle: (255 / 256) * 2 * Math.PI, type: 'ending', quality: 100 },
  ],
};

/** Bytes of a big-endian record from a list of [value, size] fields. */
function bytesOf(fields: [number, 1 | 2 | 4][]): Uint8Array {
  const n = fields.reduce((s, [, b]) => s + b, 0);
  const out = new Uint8Array(n);
  const v = new DataView(out.buffer);
  let o = 0;
  for (const [value, size] of fields) {
    if (size === 1) v.setUint8(o, value);
    else if (size === 2) v.setUint16(o, value);
    else v.setUint32(o, value);
    o += size;
  }
  return out;
}
const FMR: [number, 4][] = [[0x464d5200, 4]];
const V20: [number, 4][] = [[0x20323000, 4]];

describe('ISO/IEC 19794-2:2005 and ANSI/INCITS 378-2004 records', () => {
  for (const format of ['iso-19794-2-2005', 'ansi-378-2004'] as const) {
    it(`round-trips a template through ${format}`, () => {
      const bytes = writeMinutiaeRecord(sample, format);
      expect(Array.from(bytes.slice(0, 8))).toEqual([0x46, 0x4d, 0x52, 0, 0x20, 0x32, 0x30, 0]);
      const back = readMinutiaeRecord(bytes);
      expect(back.width).toBe(388);
      expect(back.quality).toBe(71);
      expect(back.minutiae.map((m) => [m.x, m.y, m.type, m.quality])).toEqual(
        sample.minutiae.map((m) => [m.x, m.y, m.type, m.quality]),
      );
      const step = format === 'ansi-378-2004' ? 2 : 1.40625;
      back.minutiae.forEach((m, i) => {
        const d = Math.abs(m.angle - (sample.minutiae[i]?.angle ?? 0)) * (180 / Math.PI);
        expect(Math.min(d, 360 - d)).toBeLessThanOrEqual(step / 2 + 1e-9);
      });
    });
  }

  it('reads an ISO record built by hand from the standard byte layout (another writer, 250 px/cm)', () => {
    const record = bytesOf([
      ...FMR,
      ...V20,
      [24 + 4 + 2 * 6 + 2, 4], // length
      [0, 2], // equipment
      [500, 2],
      [600, 2], // image size
      [250, 2],
      [250, 2], // 250 px/cm ≈ 635 dpi
      [1, 1],
      [0, 1], // one view, reserved
      [7, 1],
      [0, 1],
      [60, 1],
      [2, 1], // right index? position 7 (left index), view 0, quality 60, 2 minutiae
      [(1 << 14) | 250, 2],
      [100, 2],
      [64, 1],
      [80, 1], // ending at (250,100), 90°
      [(2 << 14) | 500, 2],
      [600, 2],
      [128, 1],
      [55, 1], // bifurcation at the far corner, 180°
      [0, 2], // no extended data
    ]);
    const t = readMinutiaeRecord(record);
    expect(t.width).toBe(Math.round(500 * (197 / 250)));
    expect(t.minutiae).toHaveLength(2);
    expect(t.minutiae[0]).toMatchObject({ x: 197, y: Math.round(100 * (197 / 250)), type: 'ending', quality: 80 });
    expect(t.minutiae[0]?.angle).toBeCloseTo(Math.PI / 2, 6);
    expect(t.minutiae[1]).toMatchObject({ type: 'bifurcation', quality: 55 });
    expect(t.minutiae[1]?.angle).toBeCloseTo(Math.PI, 6);
  });

  it('reads view 1 of a two-view ANSI record with extended data, angles in 2° units', () => {
    const view = (count: number, angle: number, ext: number[]): [number, 1 | 2 | 4][] => [
      [2, 1],
      [0, 1],
      [90, 1],
      [count, 1],
      ...Array.from({ length: count }, (_, k): [number, 1 | 2 | 4][] => [
        [(1 << 14) | (10 + k), 2],
        [20 + k, 2],
        [angle, 1],
        [70, 1],
      ]).flat(),
      [ext.length, 2],
      ...ext.map((b): [number, 1] => [b, 1]),
    ];
    const body: [number, 1 | 2 | 4][] = [...view(1, 0, [9, 9, 9]), ...view(2, 45, [])];
    const headerLen = 26;
    const bodyLen = bytesOf(body).length;
    const record = bytesOf([
      ...FMR,
      ...V20,
      [headerLen + bodyLen, 2],
      [0x0031, 2],
      [0x0001, 2], // CBEFF owner / type
      [0, 2],
      [300, 2],
      [300, 2],
      [197, 2],
      [197, 2],
      [2, 1],
      [0, 1],
      ...body,
    ]);
    const t = readMinutiaeRecord(record, { view: 1 });
    expect(t.minutiae).toHaveLength(2);
    expect(t.minutiae[1]).toMatchObject({ x: 11, y: 21, type: 'ending' });
    expect(t.minutiae[0]?.angle).toBeCloseTo(Math.PI / 2, 6); // 45 × 2° = 90°
    expect(() => readMinutiaeRecord(record, { view: 2 })).toThrow(/view 2/);
  });

  it('rejects an ANSI angle above 179', () => {
    const bytes = writeMinutiaeRecord(sample, 'ansi-378-2004');
    bytes[26 + 4 + 4] = 180;
    expect(() => readMinutiaeRecord(bytes)).toThrow(/angle/);
  });
});

describe('native template and JSON', () => {
  it('round-trips through the compact format', () => {
    const back = decodeTemplate(encodeTemplate(sample));
    expect(back.minutiae.map((m) => [m.x, m.y, m.type, m.quality])).toEqual(
      sample.minutiae.map((m) => [m.x, m.y, m.type, m.quality]),
    );
    expect(encodeTemplate(sample).length).toBe(10 + 3 * 6 + 4);
  });

  it('detects corruption by the checksum', () => {
    const bytes = encodeTemplate(sample);
    bytes[12] = (bytes[12] as number) ^ 1;
    expect(() => decodeTemplate(bytes)).toThrow(/checksum/);
  });

  it('checks JSON templates', () => {
    expect(parseTemplate(JSON.parse(JSON.stringify(sample)))).toEqual(sample);
    expect(() => parseTemplate({ ...sample, dpi: 400 })).toThrow(/dpi/);
    expect(() =>
      parseTemplate({ ...sample, minutiae: [{ x: 1, y: 2, angle: 9, type: 'ending', quality: 1 }] }),
    ).toThrow(/angle/);
    expect(() => parseTemplate('x')).toThrow(/object/);
  });
});

describe('hostile template bytes', () => {
  it('answers 120,000 mutated and random inputs with a template or a FingerprintError, never anything else', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const seeds = [
      writeMinutiaeRecord(sample, 'iso-19794-2-2005'),
      writeMinutiaeRecord(sample, 'ansi-378-2004'),
      encodeTemplate(sample),
    ];
    const readers = [
      (b: Uint8Array) => readMinutiaeRecord(b),
      (b: Uint8Array) => readMinutiaeRecord(b, { format: 'ansi-378-2004' }),
      (b: Uint8Array) => readMinutiaeRecord(b, { format: 'iso-19794-2-2005' }),
      decodeTemplate,
    ];
    let errors = 0;
    let accepted = 0;
    for (let k = 0; k < 30_000; k++) {
      const base = seeds[k % seeds.length] as Uint8Array;
      let bytes: Uint8Array;
      const mode = k % 4;
      if (mode === 0) {
        bytes = Uint8Array.from(base);
        for (let f = 0; f <= rnd(4); f++) bytes[rnd(bytes.length)] = rnd(256);
      } else if (mode === 1) {
        bytes = base.slice(0, rnd(base.length + 1));
      } else if (mode === 2) {
        bytes = new Uint8Array(rnd(80));
        for (let i = 0; i < bytes.length; i++) bytes[i] = rnd(256);
        bytes.set(base.slice(0, Math.min(bytes.length, 8)));
      } else {
        bytes = new Uint8Array(base.length + rnd(20));
        bytes.set(base);
        for (let i = base.length; i < bytes.length; i++) bytes[i] = rnd(256);
      }
      for (const read of readers) {
        try {
          const t = read(bytes);
          accepted++;
          expect(t.minutiae.length).toBeLessThanOrEqual(255);
        } catch (err) {
          if (!isSmartCitizenError(err, 'fingerprint/bad-template')) throw err;
          errors++;
        }
      }
    }
    expect(errors + accepted).toBe(120_000);
    expect(errors).toBeGreaterThan(60_000);
  });
});
