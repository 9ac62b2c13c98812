import { defineConfig } from 'vitest/config';

/**
 * `npm run test:corpus`: the labelled-corpus check and the property, chunking and fuzz tests on
 * the shared corpus (../shared/corpus, read in place) instead of the fixtures. It fails, never
 * skips, when the corpus is missing.
 */
export default defineConfig({
  test: {
    include: ['test/corpus.test.ts', 'test/chunking.test.ts', 'test/parserProperties.test.ts', 'test/parserFuzz.test.ts', 'test/prefilteredScan.test.ts', 'test/analyze.test.ts'],
    env: { OOMLENS_TEST_CORPUS: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
