import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardTypes, ID1_HEIGHT_MM, ID1_WIDTH_MM } from '../cardTypes.js';
import type { MmBox } from './CardLayout.js';
import { CANONICAL_HEIGHT, CANONICAL_WIDTH, mmBoxToPx } from './canonical.js';
import { allCardLayouts, cardLayout } from './layouts.js';

const inside = (b: MmBox) =>
  b.x >= 0 && b.y >= 0 && b.x + b.w <= ID1_WIDTH_MM && b.y + b.h <= ID1_HEIGHT_MM && b.w > 0 && b.h > 0;
const overlap = (a: MmBox, b: MmBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('card layouts', () => {
  it('has a front and a back for every card type', () => {
    expect(allCardLayouts).toHaveLength(cardTypes.length * 2);
    for (const t of cardTypes) {
      expect(cardLayout(t, 'front')).toMatchObject({ type: t, side: 'front' });
      expect(cardLayout(t, 'back')).toMatchObject({ type: t, side: 'back' });
    }
  });

  it('keeps every box on the card and no two printed things on top of each other', () => {
    for (const l of allCardLayouts) {
      const boxes: [string, MmBox][] = [
        ...l.fields.flatMap((f) => [
          ...f.lines.map((b, i) => [`${f.field}#${i}`, b] as [string, MmBox]),
          ...(f.label ? [[`${f.field} label`, f.label.box] as [string, MmBox]] : []),
        ]),
        ...l.staticTexts.map((s) => [s.text, s.box] as [string, MmBox]),
        ...(['emblem', 'portrait', 'qr', 'pdf417', 'chip'] as const).flatMap((k) =>
          l[k] ? [[k, l[k]] as [string, MmBox]] : [],
        ),
        ...(l.fingerprints
          ? ([
              ['left index', l.fingerprints.leftIndex],
              ['right index', l.fingerprints.rightIndex],
            ] as [string, MmBox][])
          : []),
        ...(l.mrz ? l.mrz.map((b, i) => [`mrz${i}`, b] as [string, MmBox]) : []),
      ];
      for (const [name, b] of boxes) expect(inside(b), `${l.type}/${l.side} ${name}`).toBe(true);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [na, a] = boxes[i] as [string, MmBox];
          const [nb, b] = boxes[j] as [string, MmBox];
          expect(overlap(a, b), `${l.type}/${l.side}: ${na} overlaps ${nb}`).toBe(false);
        }
      }
      expect(new Set(l.fields.map((f) => f.field)).size).toBe(l.fields.length);
    }
  });

  it('puts the machine-readable parts where issue 14 says they are', () => {
    expect(cardLayout('cccd-2021', 'front').qr).toBeDefined();
    expect(cardLayout('cccd-2021', 'back').mrz).toHaveLength(3);
    expect(cardLayout('cancuoc-2024', 'back').qr).toBeDefined();
    expect(cardLayout('cancuoc-2024', 'back').mrz).toHaveLength(3);
    expect(cardLayout('cccd-2016', 'back').pdf417).toBeDefined();
    for (const t of ['cmnd-9', 'cmnd-12', 'cccd-2016', 'cccd-2021'] as const)
      expect(cardLayout(t, 'back').fingerprints).toBeDefined();
    for (const t of cardTypes) expect(cardLayout(t, 'front').portrait).toBeDefined();
    const labels = allCardLayouts.flatMap((l) => l.fields.map((f) => f.label?.text ?? ''));
    for (const anchor of [
      'Họ và tên / Full name',
      'Ngày sinh / Date of birth',
      'Quê quán / Place of origin',
      'Nơi thường trú / Place of residence',
      'Date of expiry',
      'Số định danh cá nhân',
      'Nơi cư trú',
      'Nơi đăng ký khai sinh',
    ]) {
      expect(
        labels.some((t) => t.includes(anchor)),
        anchor,
      ).toBe(true);
    }
  });

  it('maps millimetres to canonical pixels with padding clipped to the card', () => {
    expect([CANONICAL_WIDTH, CANONICAL_HEIGHT]).toEqual([1027, 648]);
    expect(mmBoxToPx({ x: 1, y: 2, w: 10, h: 3 })).toEqual({ x: 12, y: 24, width: 120, height: 36 });
    expect(mmBoxToPx({ x: 0.2, y: 0.2, w: 85, h: 53 }, 1)).toEqual({ x: 0, y: 0, width: 1027, height: 648 });
  });

  it('reads every key of the data files (a misspelt key would be dropped without a word)', () => {
    const dir = join(import.meta.dirname, 'cards');
    const sideKeys = [
      'like',
      'emblem',
      'portrait',
      'chip',
      'qr',
      'pdf417',
      'header',
      'texts',
      'fingerprints',
      'fingerprintLabels',
      'authority',
      'mrz',
      'fields',
    ];
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual([...cardTypes].sort());
    for (const f of files) {
      const data = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(Object.keys(data).sort(), f).toEqual(['back', 'background', 'front', 'pattern']);
      for (const side of [data.front, data.back]) {
        expect(
          Object.keys(side).filter((k) => !sideKeys.includes(k)),
          f,
        ).toEqual([]);
        for (const field of side.fields ?? []) {
          expect(Object.keys(field).sort(), f).toEqual(['field', 'label', 'labelBox', 'lines']);
        }
      }
    }
  });
});
