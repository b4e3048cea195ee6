import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionReason, decisionReasonCodes, decisionReasons } from './decisionReasons.js';
import { evidenceSources } from './evidenceSources.js';
import { defaultLevelRequirements } from './policy.js';

const srcRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Source files (not tests) of the parts of core that emit decision issues. */
function sourceFiles(): string[] {
  return ['session', 'rules'].flatMap((dir) =>
    readdirSync(join(srcRoot, dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(srcRoot, dir, f)),
  );
}

/** Every value a template placeholder of an emitted code can take. */
const placeholders: Record<string, readonly string[]> = {
  prefix: ['crosscheck', 'store'],
  name: Object.values(defaultLevelRequirements).flatMap((groups) => groups.map((g) => g.join('-or-'))),
  source: evidenceSources.filter((s) => s.kind === 'document' && 'verifier' in s).map((s) => s.id),
};

/** Issue sites whose code is computed: what each can be. A new computed site fails the test until listed. */
const computed: Record<string, readonly string[]> = {
  'issue(code,': ['face/no-match', 'fingerprint/no-match'],
  'issue(r.error.code,': ['id/malformed'],
};

function expand(template: string): string[] {
  const m = /\$\{(\w+)\}/.exec(template);
  if (!m) return [template];
  const values = placeholders[m[1] as string];
  if (!values) throw new Error(`no known values for \${${m[1]}} in ${template}`);
  return values.flatMap((v) => expand(template.replace(m[0], v)));
}

/** The codes core's session, cross-checks and ID rules can emit, read from their `issue(…)` calls. */
function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\bissue\(\s*([^,]+),/g)) {
      const arg = (call[1] as string).trim();
      const literal = /^(['`])(.*)\1$/.exec(arg);
      if (literal) {
        for (const code of expand(literal[2] as string)) codes.add(code);
        continue;
      }
      const known = computed[`issue(${arg},`];
      if (!known) throw new Error(`${file}: issue code computed from ${arg}; list what it can be in this test`);
      for (const code of known) codes.add(code);
    }
  }
  return codes;
}

describe('decisionReasons', () => {
  it('has one row per code, each with at least one severity and a meaning', () => {
    expect(new Set(decisionReasonCodes).size).toBe(decisionReasonCodes.length);
    for (const r of decisionReasons) {
      expect(r.code).toMatch(/^[a-z]+\/[a-z-]+$/);
      expect(r.severities.length).toBeGreaterThan(0);
      expect(r.meaning.length).toBeGreaterThan(10);
    }
  });

  it('covers every code core emits (session, raw evidence, cross-checks, record comparison, ID rules)', () => {
    const emitted = emittedCodes();
    // The scan finds the issue sites: the codes named in the issue are among them.
    for (const code of ['evidence/qr-unreadable', 'face/no-face', 'crosscheck/field-mismatch', 'id/serial-zero']) {
      expect(emitted).toContain(code);
    }
    expect([...emitted].filter((c) => !decisionReason(c))).toEqual([]);
  });

  it('names each default level group the session can report as missing', () => {
    for (const name of placeholders.name ?? []) expect(decisionReasonCodes).toContain(`requirement/${name}-missing`);
  });
});
