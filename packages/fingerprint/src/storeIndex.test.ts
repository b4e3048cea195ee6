import { createMemoryIdentityStore, createStaticKeyProvider } from '@smart-citizen/core';
import { conformanceCitizens } from '@smart-citizen/core/testing';
import { hasSharedData, sharedDataRoot } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { FVC_SETS, loadFvcSet } from '../bench/fvc.js';
import { fingerprintEvidenceVerifiers } from './evidence.js';
import { extractTemplate } from './extractTemplate.js';
import { writeMinutiaeRecord } from './formats/minutiaeRecord.js';
import { encodeTemplate } from './formats/nativeTemplate.js';
import { fingerprintTemplateIndex } from './storeIndex.js';

describe.skipIf(!hasSharedData('fingerprint/fvc2002/DB2_B'))('fingerprint templates in the identity store', () => {
  it('enrols sealed ISO/native templates and finds the citizen 1:N; the evidence verifier scores 1:1', async () => {
    const set = FVC_SETS[1] as (typeof FVC_SETS)[number];
    const items = (await loadFvcSet(sharedDataRoot, set)) ?? [];
    const t = (finger: string, imp: number) => {
      const it = items.find((x) => x.finger === finger && x.impression === imp);
      if (!it) throw new Error('missing test image');
      return extractTemplate(it.image, { dpi: set.dpi });
    };
    const [a, b, c] = conformanceCitizens;
    if (!a || !b || !c) throw new Error('fixtures');
    const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(9) }] });
    const store = createMemoryIdentityStore({ keys, indexes: { fingerprint: fingerprintTemplateIndex() } });
    for (const citizen of [a, b, c]) await store.upsert(citizen);
    const fingers = ['101', '102', '103'];
    const owners = [a, b, c];
    for (let k = 0; k < 3; k++) {
      const template = t(fingers[k] as string, 1);
      const data = k === 2 ? encodeTemplate(template) : writeMinutiaeRecord(template, 'iso-19794-2-2005');
      await store.enrolTemplate((owners[k] as typeof a).idNumber, {
        kind: 'fingerprint',
        format: k === 2 ? 'native' : 'iso-19794-2',
        data,
      });
    }
    const probe = t('102', 4);
    const hits = await store.searchTemplates('fingerprint', probe, { k: 3 });
    expect(hits[0]?.idNumber).toBe(b.idNumber);
    expect(hits[0]?.score).toBeGreaterThanOrEqual(30);
    await store.erase(b.idNumber);
    const after = await store.searchTemplates('fingerprint', probe, { k: 3, minScore: 30 });
    expect(after.map((h) => h.idNumber)).not.toContain(b.idNumber);

    const { fingerprint } = fingerprintEvidenceVerifiers();
    const enrolled = writeMinutiaeRecord(t('103', 1), 'ansi-378-2004');
    const genuine = await fingerprint.match(encodeTemplate(t('103', 2)), enrolled, 'ansi-378');
    const impostor = await fingerprint.match(encodeTemplate(t('101', 2)), enrolled, 'ansi-378');
    expect(genuine).toBeGreaterThan(impostor);
    expect(await fingerprint.match(new Uint8Array([1, 2, 3]), enrolled, 'ansi-378')).toBe(0);
    expect(fingerprint.threshold).toBe(30);
  });
});
