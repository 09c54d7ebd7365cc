import { defineConfig } from 'vitest/config';

// `npm run chaos`: the long chaos run alone (npm test's config only picks up *.test.ts).
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    testTimeout: 3 * 3600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
