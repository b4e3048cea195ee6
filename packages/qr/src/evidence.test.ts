import { createRng, decisionReason, isSmartCitizenError } from '@smart-citizen/core';
import type { Issue } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { qrEvidenceVerifiers } from './evidence.js';
import { parseCardQr } from './parse/parseCardQr.js';
import { fuzzPayload, randomCardPayload } from './testing/index.js';

const today = new Date(Date.UTC(2026, 10, 29));
const payload =
  '031190007788|031234567|Phạm Thị Thu Hà|15061990|Nữ|8 Đường Lạch Tray, Phường Ngô Quyền, Hải Phòng|10052021';

/** Codes missing from core's reason catalogue, or emitted with a severity it does not list. */
function uncatalogued(issues: readonly Issue[]): string[] {
  return issues
    .filter((i) => !decisionReason(i.code)?.severities.includes(i.severity))
    .map((i) => `${i.code}:${i.severity}`);
}

describe('qrEvidenceVerifiers', () => {
  it('reads a card payload into the identity fields, with full confidence', async () => {
    const reading = await qrEvidenceVerifiers({ today }).qr(payload);
    expect(reading.fields).toEqual(parseCardQr(payload, { today }).identity);
    expect(reading.fields.idNumber).toBe('031190007788');
    expect(reading.confidence).toBe(1);
    expect(reading.issues).toEqual([]);
  });

  it('passes data problems on as issues, leaving out info remarks', async () => {
    const { qr } = qrEvidenceVerifiers({ today });
    const future = await qr(payload.replace('15061990', '15062030'));
    expect(future.issues.map((i) => i.code)).toContain('qr/birth-date-in-future');
    const extra = await qr(`${payload}|something more`);
    expect(parseCardQr(`${payload}|something more`, { today }).issues.map((i) => i.code)).toContain('qr/extra-fields');
    expect(extra.issues).toEqual([]);
  });

  it('throws a typed qr/* error on a payload that is not a card (the session records evidence/qr-unreadable)', () => {
    const { qr } = qrEvidenceVerifiers({ today });
    for (const junk of ['https://example.com', '', '001099012345']) {
      let thrown: unknown;
      try {
        qr(junk);
      } catch (err) {
        thrown = err;
      }
      expect(isSmartCitizenError(thrown) && thrown.code.startsWith('qr/')).toBe(true);
    }
  });

  it("emits only codes and severities core's reason catalogue lists (3,000 generated and fuzzed payloads)", async () => {
    const rng = createRng(13);
    const seen = new Set<string>();
    for (let n = 0; n < 3_000; n++) {
      const base = randomCardPayload(rng).text;
      const text = n % 3 === 0 ? base : fuzzPayload(rng, base);
      let issues: Issue[];
      try {
        issues = parseCardQr(text, { today }).issues;
      } catch (err) {
        expect(isSmartCitizenError(err)).toBe(true);
        continue;
      }
      for (const i of issues) seen.add(i.code);
      expect(uncatalogued(issues)).toEqual([]);
    }
    // The generated set reaches the reader's issues, not only clean payloads.
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });
});
