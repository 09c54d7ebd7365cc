import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault runs (test/faults/) have their own script, npm run test:faults; CI runs them after npm test.
    exclude: ['test/faults/**', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests each start their own servers; two cores, so keep it modest.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
