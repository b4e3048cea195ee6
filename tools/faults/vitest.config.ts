import { defineConfig } from 'vitest/config';

// `pnpm test:faults`: the fault-injection suite. It starts its own PostgreSQL and Redis servers
// (free ports, temp dirs) and kills them, so it runs apart from `pnpm test`, one file at a time.
export default defineConfig({
  resolve: { conditions: ['@smart-citizen/source'] },
  ssr: { resolve: { conditions: ['@smart-citizen/source'] } },
  test: {
    root: 'tools/faults',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/report.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
