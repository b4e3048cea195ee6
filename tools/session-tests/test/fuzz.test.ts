import { describe, expect, it } from 'vitest';
import type { DocumentEvidence } from '@smart-citizen/core';
import { createRng, crossCheckDocuments, isSmartCitizenError, normalizeStoredIdentity } from '@smart-citizen/core';
import { expectCatalogued } from './fixtures/session.js';

// Seeded (core's createRng), so a run reproduces.
const rng = (seed: number): (() => number) => createRng(seed).next;

const pieces = ['001099012345', '', ' ', 'Nguyễn', 'NGUYEN', 'Văn', 'ﬁ', '\u0000', '💥', 'a'.repeat(3000), '0', '１２'];
function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * 10);
  if (k === 0) return null;
  if (k === 1) return Math.floor(r() * 4000) - 1000;
  if (k === 2) return r() < 0.5;
  if (k === 3 && depth < 2)
    return { year: randomValue(r, depth + 1), month: randomValue(r, depth + 1), day: randomValue(r, depth + 1) };
  if (k === 4 && depth < 2) return [randomValue(r, depth + 1)];
  if (k === 5) return Number.NaN;
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => pieces[Math.floor(r() * pieces.length)]).join(' ');
}
const fields = [
  'idNumber',
  'oldIdNumber',
  'fullName',
  'dateOfBirth',
  'sex',
  'expiryDate',
  'noExpiry',
  'cardType',
  'placeOfResidence',
  'x',
];

describe('fuzz: identity normalisation and cross-checks never crash', () => {
  it('normalizeStoredIdentity returns or throws a typed error on 20,000 random objects', () => {
    const r = rng(1);
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      const obj: Record<string, unknown> = {};
      for (const f of fields) if (r() < 0.5) obj[f] = randomValue(r);
      if (r() < 0.3) obj.idNumber = '001099012345';
      try {
        normalizeStoredIdentity(obj as never);
        accepted++;
      } catch (err) {
        expect(isSmartCitizenError(err, 'store/invalid-identity')).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('crossCheckDocuments returns issues for 5,000 random document sets', () => {
    const r = rng(2);
    const sources = ['qr', 'mrz', 'ocr', 'chip', 'manual'] as const;
    for (let n = 0; n < 5_000; n++) {
      const docs: DocumentEvidence[] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
        const f: Record<string, unknown> = {};
        for (const k of fields) if (r() < 0.5) f[k] = randomValue(r);
        return {
          kind: 'document',
          source: sources[Math.floor(r() * 5)] as DocumentEvidence['source'],
          fields: f,
          confidence: 1,
          issues: [],
        };
      });
      try {
        const out = crossCheckDocuments(docs, {
          today: { year: 2026, month: 11, day: 29 },
          softenUnlessMachineRead: n % 2 === 0,
        });
        expect(Array.isArray(out.issues)).toBe(true);
        expectCatalogued(out.issues);
      } catch (err) {
        // Garbage field types may only surface as typed errors, never as TypeErrors.
        expect(isSmartCitizenError(err)).toBe(true);
      }
    }
  });
});
