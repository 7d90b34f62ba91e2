import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default leaves one of two cores idle; most long files wait on processes, browsers
    // and timers, so two workers halve the wall time on the 2-core CI machine.
    maxWorkers: 2,
  },
})
