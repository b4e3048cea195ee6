import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionReasons } from './decisionReasons.js';
import type { BiometricVerifierOf, EvidenceVerifiers, RawEvidence } from './decideFromRawEvidence.js';
import { documentSources, evidenceContributions, evidenceSource, evidenceSources } from './evidenceSources.js';
import type { Requirement } from './policy.js';
import { defaultLevelRequirements } from './policy.js';

// Compile-time: every verifier entry and every raw input (but consent, which is not a source of its
// own) is named by a row of the table, and each biometric row's verifier has the shape its method runs.
type Row = (typeof evidenceSources)[number];
type UnlistedVerifier = Exclude<keyof EvidenceVerifiers, Extract<Row, { verifier: string }>['verifier']>;
type NamedRaw = Extract<Row, { raw: string }>['raw'] | Extract<Row, { reference: string }>['reference'];
type UnlistedRaw = Exclude<keyof RawEvidence, NamedRaw | 'consent'>;
type Biometric = Extract<Row, { kind: 'biometric' }>;
type MisWired = {
  [R in Biometric as R['id']]: NonNullable<EvidenceVerifiers[R['verifier']]> extends BiometricVerifierOf[R['method']]
    ? never
    : R['id'];
}[Biometric['id']];
const everyVerifierHasARow: [UnlistedVerifier] extends [never] ? true : UnlistedVerifier = true;
const everyRawInputHasARow: [UnlistedRaw] extends [never] ? true : UnlistedRaw = true;
const everyMethodFitsItsVerifier: [MisWired] extends [never] ? true : MisWired = true;

const docsPath = join(dirname(fileURLToPath(import.meta.url)), '../../../../docs/identification.md');

/** The generated blocks of docs/identification.md, rendered from the tables. */
function renderDocs(): Record<string, string> {
  const c = evidenceContributions();
  const list = (rs: readonly string[]) => (rs.length > 0 ? rs.map((r) => `\`${r}\``).join(', ') : '—');
  const sources = [
    '| source | what | kind | machine-read | consent | raw input → verifier | level 1 | level 2 | level 3 |',
    '|---|---|---|---|---|---|---|---|---|',
    ...evidenceSources.map((s) => {
      const wiring = 'raw' in s ? `\`${s.raw}\` → \`${s.verifier}\`` : '—';
      const consent = 'consent' in s ? `\`${s.consent}\`` : '—';
      return `| \`${s.id}\` | ${s.label} | ${s.kind} | ${s.machineRead ? 'yes' : 'no'} | ${consent} | ${wiring} | ${list(c[s.id][1])} | ${list(c[s.id][2])} | ${list(c[s.id][3])} |`;
    }),
  ].join('\n');
  const reasons = [
    '| code | severity | from | meaning |',
    '|---|---|---|---|',
    ...decisionReasons.map((r) => `| \`${r.code}\` | ${r.severities.join(' / ')} | ${r.from} | ${r.meaning} |`),
  ].join('\n');
  return { 'evidence-sources': sources, 'reason-codes': reasons };
}

describe('evidenceSources', () => {
  it('is checked at compile time against the verifier and raw-evidence ports', () => {
    expect(everyVerifierHasARow).toBe(true);
    expect(everyRawInputHasARow).toBe(true);
    expect(everyMethodFitsItsVerifier).toBe(true);
  });

  it('lists each source once; documents carry a distinct trust rank, biometrics a consent scope', () => {
    expect(new Set(evidenceSources.map((s) => s.id)).size).toBe(evidenceSources.length);
    expect(documentSources).toEqual(['qr', 'mrz', 'ocr', 'chip', 'manual']);
    const ranks = evidenceSources.flatMap((s) => ('trust' in s ? [s.trust] : []));
    expect(ranks).toHaveLength(documentSources.length);
    expect(new Set(ranks).size).toBe(ranks.length);
    for (const s of evidenceSources) if (s.kind === 'biometric') expect('consent' in s).toBe(true);
    expect(evidenceSource('qr')?.machineRead).toBe(true);
    expect(evidenceSource('ocr')?.machineRead).toBe(false);
    expect(evidenceSource('nope')).toBeUndefined();
  });

  it('says what each source contributes to each level, and every requirement has a source', () => {
    const c = evidenceContributions();
    expect(c.face).toEqual({ 1: [], 2: ['face-match'], 3: ['face-match'] });
    expect(c.chip).toEqual({ 1: ['document'], 2: ['document'], 3: ['document', 'chip-authenticated'] });
    expect(c.record).toEqual({ 1: ['in-store'], 2: ['in-store'], 3: ['in-store'] });
    const required = new Set(Object.values(defaultLevelRequirements).flat(2));
    const met = new Set<Requirement>(evidenceSources.flatMap((s) => [...s.meets]));
    for (const r of required) expect(met).toContain(r);
    // A custom policy changes the contributions, not the table.
    expect(evidenceContributions({ 1: [['document']], 2: [['document']], 3: [['document']] }).face[3]).toEqual([]);
  });

  it('is the table docs/identification.md shows (UPDATE_DOCS=1 rewrites the generated blocks)', () => {
    let text = readFileSync(docsPath, 'utf8');
    for (const [name, block] of Object.entries(renderDocs())) {
      const start = `<!-- generated:${name} -->\n`;
      const end = `\n<!-- /generated:${name} -->`;
      const a = text.indexOf(start);
      const b = text.indexOf(end, a);
      expect(a, `docs/identification.md lacks the ${name} block`).toBeGreaterThanOrEqual(0);
      const next = text.slice(0, a + start.length) + block + text.slice(b);
      if (process.env.UPDATE_DOCS === '1') text = next;
      else expect(text.slice(a + start.length, b)).toBe(block);
    }
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docsPath, text);
  });
});
