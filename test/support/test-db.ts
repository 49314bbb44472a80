import crypto from 'node:crypto'
import fs from 'node:fs'
import { inject } from 'vitest'
import pg from 'pg'
import { openPglite, openPostgres, type DatabaseHandle } from '../../src/app/db.js'
import { dropDatabase } from './drop-database.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** File holding a dump of a migrated, seeded PGlite data folder. */
    pgliteImage: string
    /** PostgreSQL URL of the migrated, seeded template database, when testing on PostgreSQL. */
    pgTemplateUrl: string
  }
}

export const backend = (): 'pglite' | 'postgres' => (process.env['TEST_BACKEND'] === 'postgres' ? 'postgres' : 'pglite')

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * A fresh database for one test file, already migrated and seeded with reference data:
 * a clone of the PGlite image, or a copy of the PostgreSQL template database.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (backend() === 'postgres') {
    const templateUrl = inject('pgTemplateUrl')
    const template = new URL(templateUrl).pathname.slice(1)
    const name = `vidan_t_${crypto.randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
    } finally {
      await admin.end()
    }
    const handle = openPostgres(withDatabase(templateUrl, name), 5)
    return {
      ...handle,
      close: async () => {
        await handle.close()
        const a = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') })
        await a.connect()
        try {
          await dropDatabase(a, name)
        } finally {
          await a.end()
        }
      },
    }
  }
  const image = fs.readFileSync(inject('pgliteImage'))
  return openPglite(undefined, new Blob([image]))
}

