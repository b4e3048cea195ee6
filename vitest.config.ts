import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One root config; every package under packages/, examples/ and tools/ is a vitest project (tests beside the
// code in src/**, plus test/** and bench/**). tools/session-tests holds the session tests that need the real
// readers (core cannot depend on them). The source condition makes workspace imports resolve to src/.
const prefix: Record<string, string> = { packages: '', examples: 'example-', tools: 'tools-' };
const projectDirs = Object.keys(prefix).flatMap((parent) =>
  readdirSync(parent)
    .filter((name) => existsSync(`${parent}/${name}/package.json`))
    .map((name) => ({ name: `${prefix[parent]}${name}`, root: `${parent}/${name}` })),
);

export default defineConfig({
  resolve: { conditions: ['@smart-citizen/source'] },
  ssr: { resolve: { conditions: ['@smart-citizen/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: projectDirs.map(({ name, root }) => ({
      extends: true,
      test: {
        name,
        root,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
      },
    })),
  },
});
