import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = fileURLToPath(new URL('.', import.meta.url))
const relay = process.env.PEERBOARD_RELAY ?? 'http://127.0.0.1:8787'

/**
 * The long tests (tests/long: a million fuzzed frames, whole editing traces) take up to an hour;
 * their project exists only when PEERBOARD_LONG_TESTS=1, which `npm run test:long` sets, so that
 * `npm test` (every project) never runs them.
 */
const longTests =
  process.env.PEERBOARD_LONG_TESTS === '1'
    ? [
        {
          test: {
            name: 'long',
            root: here,
            include: ['tests/long/**/*.test.ts'],
            environment: 'node' as const,
            testTimeout: 4 * 3600_000,
            hookTimeout: 120_000,
          },
        },
      ]
    : []

/**
 * The client is built from client/ into dist/client, which the relay serves. `npm run dev` runs
 * Vite's dev server and proxies /sync (WebSocket) and /healthz to a relay (PEERBOARD_RELAY).
 * The test projects (unit, property, adversary, integration, e2e, and long when asked for) are declared here too.
 */
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/sync': { target: relay.replace(/^http/, 'ws'), ws: true },
      '/healthz': { target: relay },
    },
  },
  test: {
    root: here,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          root: here,
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'property',
          root: here,
          include: ['tests/property/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'adversary',
          root: here,
          include: ['tests/adversary/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          root: here,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root: here,
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
      ...longTests,
    ],
  },
})
