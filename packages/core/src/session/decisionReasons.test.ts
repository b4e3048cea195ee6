import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { decisionReason, decisionReasonCodes, decisionReasons } from './decisionReasons.js';
import { evidenceSources } from './evidenceSources.js';
import { defaultLevelRequirements } from './policy.js';

const srcRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Source files (not tests) of the parts of core that emit decision issues. */
const sources = (): string[] => ['session', 'rules', 'mrz'].flatMap((dir) => sourceFiles(join(srcRoot, dir)));

/** The values each `${…}` variable in an emitted code template can take (a code like `requirement/${name}-missing` is checked once per value). */
const templateVariableValues: Record<string, readonly string[]> = {
  prefix: ['crosscheck', 'store'],
  name: Object.values(defaultLevelRequirements).flatMap((groups) => groups.map((g) => g.join('-or-'))),
  source: evidenceSources.filter((s) => s.kind === 'document' && 'verifier' in s).map((s) => s.id),
  embedded: evidenceSources.filter((s) => 'method' in s && s.method === 'embedding').map((s) => s.id),
  enrolled: evidenceSources.filter((s) => 'template' in s).map((s) => s.id),
  matched: evidenceSources.filter((s) => 'template' in s).map((s) => s.id),
  checked: evidenceSources.filter((s) => 'method' in s && s.method === 'check').map((s) => s.id),
};

/** Issue sites whose code is computed: what each can be. A new computed site fails the test until listed. */
const computed: Record<string, readonly string[]> = {
  'issue(r.error.code,': ['id/malformed'],
};

function expand(template: string): string[] {
  const m = /\$\{(\w+)\}/.exec(template);
  if (!m) return [template];
  const values = templateVariableValues[m[1] as string];
  if (!values) throw new Error(`no known values for \${${m[1]}} in ${template}`);
  return values.flatMap((v) => expand(template.replace(m[0], v)));
}

/** The codes core's session, cross-checks, ID rules and MRZ parser can emit, read from their `issue(…)` calls, with the literal severity when there is one. */
function emittedCodes(): Map<string, Set<string>> {
  const codes = new Map<string, Set<string>>();
  const add = (code: string, severity: string | undefined) => {
    const set = codes.get(code) ?? new Set<string>();
    if (severity) set.add(severity);
    codes.set(code, set);
  };
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\bissue\(\s*([^,]+),\s*([^,]+),/g)) {
      const arg = (call[1] as string).trim();
      const severity = /^'(error|warning|info)'$/.exec((call[2] as string).trim())?.[1];
      const literal = /^(['`])(.*)\1$/.exec(arg);
      if (literal) {
        for (const code of expand(literal[2] as string)) add(code, severity);
        continue;
      }
      const known = computed[`issue(${arg},`];
      if (!known) throw new Error(`${file}: issue code computed from ${arg}; list what it can be in this test`);
      for (const code of known) add(code, severity);
    }
  }
  return codes;
}

describe('decisionReasons', () => {
  it('has one row per code, each with at least one severity and a meaning', () => {
    expect(new Set(decisionReasonCodes).size).toBe(decisionReasonCodes.length);
    for (const r of decisionReasons) {
      expect(r.code).toMatch(/^[a-z]+\/[a-z0-9-]+$/); // digits: data-group codes such as chip/dg13-bad-date
      expect(r.severities.length).toBeGreaterThan(0);
      expect(r.meaning.length).toBeGreaterThan(10);
    }
  });

  it('covers every code core emits (session, raw evidence, cross-checks, record comparison, ID rules, MRZ)', () => {
    const emitted = emittedCodes();
    // The scan finds the issue sites: the codes named in the issue are among them.
    for (const code of ['evidence/qr-unreadable', 'face/no-face', 'crosscheck/field-mismatch', 'mrz/check-digit']) {
      expect(emitted.has(code)).toBe(true);
    }
    expect([...emitted.keys()].filter((c) => !decisionReason(c))).toEqual([]);
    // Severities written as literals at the issue site are ones the catalogue lists for the code.
    const wrong = [...emitted].flatMap(([code, severities]) =>
      [...severities].filter((s) => !decisionReason(code)?.severities.includes(s as never)).map((s) => `${code}:${s}`),
    );
    expect(wrong).toEqual([]);
  });

  it('names each default level group the session can report as missing', () => {
    for (const name of templateVariableValues.name ?? [])
      expect(decisionReasonCodes).toContain(`requirement/${name}-missing`);
  });
});
