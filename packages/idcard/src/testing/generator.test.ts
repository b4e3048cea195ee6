import { createRng, parseMrz, parseIdNumber, validateIdNumber } from '@smart-citizen/core';
import { decodeImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { cardTypes } from '../cardTypes.js';
import { cardLayout } from '../layout/layouts.js';
import { generateCardSet, generateCardSide, loadGeneratorData, randomIdentity } from './index.js';

describe('card generator (stand-ins, no ../shared)', () => {
  it('draws valid identities for every card type: ID rules, MRZ, QR text, expiry rule', async () => {
    const data = await loadGeneratorData(undefined);
    expect(data.sources).toEqual({ names: 'builtin', faces: 'generated', prints: 'generated' });
    const rng = createRng(5);
    for (const type of cardTypes) {
      for (let i = 0; i < 40; i++) {
        const id = randomIdentity(rng, type, data.names, data.units);
        if (type === 'cmnd-9') {
          expect(id.idNumber).toMatch(/^\d{9}$/);
        } else {
          const parts = parseIdNumber(id.idNumber);
          expect(
            validateIdNumber(id.idNumber, {
              dateOfBirth: id.dateOfBirth,
              sex: id.sex,
              today: new Date('2026-01-01'),
            }).issues.filter((x) => x.severity === 'error'),
          ).toEqual([]);
          expect(parts.sex).toBe(id.sex);
        }
        if (id.mrz) {
          const mrz = parseMrz(id.mrz, { today: new Date('2026-01-01') });
          expect(mrz.valid).toBe(true);
          expect(mrz.personalNumber).toBe(id.idNumber);
          expect(id.qrText?.split('|')[0]).toBe(id.idNumber);
        }
        expect(id.fullName.split(' ').length).toBeGreaterThanOrEqual(2);
        expect(id.placeOfOrigin).toMatch(/, /);
      }
    }
  });

  it('renders each side at the canonical size with the printed text as ground truth, and photographs it with its corners', async () => {
    const data = await loadGeneratorData(undefined);
    const { identity, card } = await generateCardSide('cccd-2021', 'front', data, createRng(7));
    expect([card.image.width, card.image.height, card.image.channels]).toEqual([1027, 648, 4]);
    expect(card.fields.idNumber).toBe(identity.idNumber);
    expect(card.fields.fullName).toBe(identity.fullName.toLocaleUpperCase('vi'));
    expect(card.fieldLines.placeOfResidence?.length).toBeGreaterThanOrEqual(1);
    // The portrait box is not background: a drawn stand-in face is there.
    const p = cardLayout('cccd-2021', 'front').portrait;
    expect(p).toBeDefined();
    const set = [];
    for await (const s of generateCardSet({ data, count: 1, types: ['cancuoc-2024'], sides: ['back'], levels: [0, 4] }))
      set.push(s);
    expect(set).toHaveLength(2);
    for (const s of set) {
      const img = await decodeImage(s.jpeg);
      expect([img.width, img.height]).toEqual(s.truth.level === 0 ? [1600, 1200] : [800, 600]);
      for (const q of s.truth.quad) {
        expect(q.x).toBeGreaterThan(0);
        expect(q.x).toBeLessThan(img.width);
      }
      expect(parseMrz(s.truth.mrz ?? []).valid).toBe(true);
      expect(s.truth.fields.placeOfResidence).toBeTruthy();
    }
  });
});
