import { defineConfig } from 'vitest/config';

// `npm test`: the project's own tests on its own fixtures. The checks against the shared corpus
// (../shared/corpus) run apart, by `npm run test:corpus` (vitest.corpus.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/corpus.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
