import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One root config; every folder under packages/ is a vitest project (tests beside the code in
// src/**, plus test/**). The source condition makes workspace imports resolve to src/.
const packages = readdirSync('packages').filter((name) => existsSync(`packages/${name}/package.json`));

export default defineConfig({
  resolve: { conditions: ['@smart-citizen/source'] },
  ssr: { resolve: { conditions: ['@smart-citizen/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
  },
});
