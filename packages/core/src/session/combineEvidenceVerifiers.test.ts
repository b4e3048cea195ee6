import { describe, expect, it } from 'vitest';
import { combineEvidenceVerifiers } from './combineEvidenceVerifiers.js';
import type { DocumentReading } from './decideFromRawEvidence.js';

const reading: DocumentReading = { fields: {}, confidence: 1, issues: [] };

describe('combineEvidenceVerifiers', () => {
  it('puts the slices of several sensor packages together, skipping absent ones', () => {
    const qr = () => reading;
    const mrz = () => reading;
    const liveness = async () => ({ live: true, score: 1 });
    const v = combineEvidenceVerifiers({ qr }, undefined, { mrz, liveness });
    expect(Object.keys(v).sort()).toEqual(['liveness', 'mrz', 'qr']);
    expect(v.qr).toBe(qr);
    expect(v.liveness).toBe(liveness);
  });

  it('refuses two slices that provide the same entry', () => {
    expect(() => combineEvidenceVerifiers({ qr: () => reading }, { qr: () => reading })).toThrow(RangeError);
  });
});
