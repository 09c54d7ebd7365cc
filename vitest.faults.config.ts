import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the short chaos scenario and the Redis failover tests. Each kills and restarts servers
// for a minute or more, so they run beside npm test (CI runs both) rather than inside its ten minutes.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    fileParallelism: true,
  },
});
