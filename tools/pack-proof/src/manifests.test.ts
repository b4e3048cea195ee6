import { describe, expect, it } from 'vitest';
import { allManifestProblems, manifestProblems } from './manifests.js';

describe('package.json of every public package', () => {
  it('has license, repository, engines, files, exports and sideEffects', () => {
    const problems = Object.fromEntries([...allManifestProblems()].filter(([, p]) => p.length > 0));
    expect(problems).toEqual({});
  });

  it('names what is missing in an incomplete one', () => {
    const problems = manifestProblems('/x/packages/demo', {
      name: '@smart-citizen/demo',
      exports: { '.': './dist/index.js' },
    });
    expect(problems.join('\n')).toMatch(
      /license[\s\S]*repository[\s\S]*engines[\s\S]*sideEffects[\s\S]*package\.json[\s\S]*files/,
    );
  });
});
