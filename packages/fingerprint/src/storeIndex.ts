import type { TemplateIndexFactory } from '@smart-citizen/core';
import { FingerprintIndex } from './FingerprintIndex.js';
import { readTemplateBytes } from './readTemplateBytes.js';
import type { FingerprintTemplate } from './types.js';

/**
 * The identity store's 1:N index for the `fingerprint` kind: pass it as
 * `createIdentityStore({ indexes: { fingerprint: fingerprintTemplateIndex() } })`, then
 * `store.searchTemplates('fingerprint', probeTemplate, { k, minScore })` searches the
 * unsealed templates in process with {@link FingerprintIndex}. Scores are the calibrated
 * scores of {@link matchTemplates}. Stored templates are ISO 19794-2, ANSI 378 or native
 * bytes; one that cannot be read is left out of the index rather than failing every search.
 */
export function fingerprintTemplateIndex(): TemplateIndexFactory<FingerprintTemplate> {
  return () => {
    const index = new FingerprintIndex();
    const owners = new Map<string, string>();
    return {
      fits: (probe) => probe !== null && typeof probe === 'object' && Array.isArray(probe.minutiae),
      add(templateId, idNumber, bytes) {
        let template: FingerprintTemplate;
        try {
          template = readTemplateBytes(bytes);
        } catch {
          return;
        }
        index.add(templateId, template);
        owners.set(templateId, idNumber);
      },
      remove(templateId) {
        index.remove(templateId);
        owners.delete(templateId);
      },
      removeOwner(idNumber) {
        for (const [id, owner] of owners) {
          if (owner === idNumber) {
            index.remove(id);
            owners.delete(id);
          }
        }
      },
      search(probe, { k, minScore }) {
        return index
          .search(probe, { limit: Math.max(1, k), threshold: minScore ?? 0 })
          .map((h) => ({ idNumber: owners.get(h.id) as string, templateId: h.id, score: h.score }));
      },
    };
  };
}
