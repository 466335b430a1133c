import { defineConfig } from 'vitest/config'

/**
 * The tests StrykerJS runs against each mutant of shared/'s rules (`npm run test:mutation`,
 * stryker.config.json): the unit and adversary tests, which need no relay, browser or database, in
 * one project. The seeded simulations (tests/property) are left out: each takes tens of seconds,
 * and a mutant is judged by the tests written for its rule.
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/adversary/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
})
