import { defineConfig } from 'vitest/config'

// Suites: unit (pure rules), int (HTTP in-process over PGlite), int-pg (the same over
// PostgreSQL, when TEST_DATABASE_URL is set), e2e (real Chromium). scripts/test.mjs picks them.
const intInclude = ['src/**/*.int.test.{ts,tsx}', 'test/**/*.int.test.{ts,tsx}']

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'], exclude: [...intInclude, '**/node_modules/**'] } },
      {
        extends: true,
        test: { name: 'int', include: intInclude, globalSetup: ['test/global-setup-pglite.ts'], env: { TEST_BACKEND: 'pglite' }, testTimeout: 90_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: { name: 'int-pg', include: intInclude, globalSetup: ['test/global-setup-postgres.ts'], env: { TEST_BACKEND: 'postgres' }, testTimeout: 90_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/global-setup-pglite.ts'],
          env: { TEST_BACKEND: 'pglite' },
          testTimeout: 240_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
        },
      },
    ],
  },
})
