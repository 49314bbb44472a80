import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openPglite, openPostgres } from '../src/app/db.js'
import { migrateToLatest } from '../src/app/migrate.js'
import { seedReference } from '../src/app/seed.js'
import { dropDatabase } from './support/drop-database.js'

// One template per run, so parallel runs on one server do not drop each other's template.
const TEMPLATE = `vidan_tpl_${process.pid}`

/** PostgreSQL: migrates and seeds a template database once per run; each test file copies it. */
export async function setupPostgres(project: TestProject) {
  {
    const url = process.env['TEST_DATABASE_URL']
    if (!url) throw new Error('TEST_BACKEND=postgres needs TEST_DATABASE_URL')
    const adminUrl = new URL(url)
    adminUrl.pathname = '/postgres'
    const admin = new pg.Client({ connectionString: adminUrl.toString() })
    await admin.connect()
    await dropDatabase(admin, TEMPLATE)
    await admin.query(`CREATE DATABASE ${TEMPLATE}`)
    await admin.end()
    const tplUrl = new URL(url)
    tplUrl.pathname = `/${TEMPLATE}`
    const h = openPostgres(tplUrl.toString(), 2)
    await migrateToLatest(h.db)
    await seedReference(h.db, { demoCatalog: true })
    await h.close()
    project.provide('pgTemplateUrl', tplUrl.toString())
    project.provide('pgliteImage', '')
    return async () => {
      const a = new pg.Client({ connectionString: adminUrl.toString() })
      await a.connect()
      try {
        await dropDatabase(a, TEMPLATE)
      } finally {
        await a.end()
      }
    }
  }
}

/** PGlite: migrates and seeds once per run and dumps the data folder; each test file loads it. */
export async function setupPglite(project: TestProject) {
  const h = await openPglite()
  await migrateToLatest(h.db)
  await seedReference(h.db, { demoCatalog: true })
  const dump = await h.pglite!.dumpDataDir('none')
  await h.close()
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-test-')), 'image.tar')
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteImage', file)
  project.provide('pgTemplateUrl', '')
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true })
}
