import { defineConfig } from 'vitest/config';

// `pnpm test:faults`: the fault-injection suite. It starts its own PostgreSQL and Redis servers
// (free ports, temp dirs) and kills them, so it runs apart from `pnpm test`, one file at a time;
// its files are *.fault.ts so that the root config (src/**/*.test.ts of every tools/* project)
// leaves them out.
export default defineConfig({
  resolve: { conditions: ['@smart-citizen/source'] },
  ssr: { resolve: { conditions: ['@smart-citizen/source'] } },
  test: {
    root: 'tools/faults',
    include: ['src/**/*.fault.ts'],
    globalSetup: ['src/report.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
