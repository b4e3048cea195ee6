import { hasSharedData, sharedDataRoot } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { FVC_SETS, loadFvcSet } from '../bench/fvc.js';
import { extractTemplate } from './extractTemplate.js';
import { FingerprintIndex } from './FingerprintIndex.js';
import { matchTemplates } from './matchTemplates.js';

describe('FingerprintIndex', () => {
  it('refuses bad ids, templates and options', () => {
    const index = new FingerprintIndex();
    expect(() => index.add('', { width: 1, height: 1, dpi: 500, minutiae: [] })).toThrow(TypeError);
    expect(() => index.add('a', null as never)).toThrow(/template/);
    expect(() => index.search({ width: 1, height: 1, dpi: 500, minutiae: [] }, { limit: 0 })).toThrow(RangeError);
    expect(index.search({ width: 1, height: 1, dpi: 500, minutiae: [] })).toEqual([]);
  });
});

describe.skipIf(!hasSharedData('fingerprint/fvc2002/DB2_B'))('FingerprintIndex on FVC2002 DB2', () => {
  it('finds the enrolled finger first for most probes, with the score matchTemplates gives', async () => {
    const set = FVC_SETS[1] as (typeof FVC_SETS)[number];
    const items = (await loadFvcSet(sharedDataRoot, set)) ?? [];
    const index = new FingerprintIndex();
    const probes = [];
    for (const it of items) {
      if (it.impression === 1) index.add(it.finger, extractTemplate(it.image, { dpi: set.dpi }));
      if (it.impression === 3) probes.push({ finger: it.finger, t: extractTemplate(it.image, { dpi: set.dpi }) });
    }
    expect(index.size).toBe(10);
    let top1 = 0;
    for (const p of probes) {
      const hits = index.search(p.t, { limit: 3, threshold: 0 });
      expect(hits.length).toBe(3);
      expect((hits[0]?.score ?? 0) >= (hits[1]?.score ?? 0)).toBe(true);
      if (hits[0]?.id === p.finger) top1++;
    }
    expect(top1).toBeGreaterThanOrEqual(7);
    // Same score as 1:1 for one pair.
    const probe = probes[0];
    if (probe) {
      const hit = index.search(probe.t, { limit: 1, threshold: 0 })[0];
      const enrolled = items.find((it) => it.finger === hit?.id && it.impression === 1);
      if (enrolled && hit) {
        expect(matchTemplates(probe.t, extractTemplate(enrolled.image, { dpi: set.dpi })).score).toBe(hit.score);
      }
    }
    expect(index.remove(probes[0]?.finger ?? '')).toBe(true);
    expect(index.size).toBe(9);
  });
});
