import { defineConfig } from 'vitest/config';

// Standalone run of this example (`pnpm vitest run --root examples/desk`): workspace packages
// resolve to their src/ through the source condition, as in the root config.
export default defineConfig({
  resolve: { conditions: ['@smart-citizen/source'] },
  ssr: { resolve: { conditions: ['@smart-citizen/source'] } },
  test: { testTimeout: 60_000, hookTimeout: 120_000, include: ['src/**/*.test.ts'] },
});
