import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { citext } from '@electric-sql/pglite/contrib/citext'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import {
  CamelCasePlugin,
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionSettings,
} from 'kysely'
import pg from 'pg'
import { OuterConnectionInTransactionError, PREPARE, transactionScope, type Database, type Db } from '../shared/database.js'

export type Backend = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Db
  backend: Backend
  /** The PGlite instance when embedded (for dumps in tests), else undefined. */
  pglite?: PGlite
  close(): Promise<void>
}

/** Extensions every backend enables. Never btree_gin: beside pg_trgm it breaks `%` on PGlite. */
export const PGLITE_EXTENSIONS = { unaccent, pg_trgm, citext }

// Dates (no time) stay strings 'YYYY-MM-DD'; timestamps come back as Date; bigint counts as numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v)
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v))

/**
 * A driver that refuses to hand out a connection while the caller is inside a transaction
 * callback: the transaction already holds its own connection, so any new acquisition there
 * is the outer `db` being misused.
 */
class GuardedDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init() {
    return this.inner.init()
  }
  acquireConnection(): Promise<DatabaseConnection> {
    if (transactionScope.getStore()) return Promise.reject(new OuterConnectionInTransactionError())
    return this.inner.acquireConnection()
  }
  beginTransaction(c: DatabaseConnection, s: TransactionSettings) {
    return this.inner.beginTransaction(c, s)
  }
  commitTransaction(c: DatabaseConnection) {
    return this.inner.commitTransaction(c)
  }
  rollbackTransaction(c: DatabaseConnection) {
    return this.inner.rollbackTransaction(c)
  }
  releaseConnection(c: DatabaseConnection) {
    return this.inner.releaseConnection(c)
  }
  destroy() {
    return this.inner.destroy()
  }
}

function guarded(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  }
}

/** Distinct statement texts prepared at most; beyond, marked statements run unprepared. */
const MAX_PREPARED = 500

/**
 * Sends the statements marked with PREPARE as named statements, so each connection parses and
 * plans them once (a transition's statements spend more time there than in execution).
 */
function preparing(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>()
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (!name && names.size < MAX_PREPARED) names.set(text, (name = `vidan_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 24)}`))
    return name
  }
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (config: unknown, values?: unknown, callback?: unknown) => unknown
    const prepared = (config: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof config === 'string' && config.startsWith(PREPARE) ? nameOf(config) : undefined
      return name ? query({ name, text: config, values }, callback) : query(config, values, callback)
    }
    client.query = prepared as typeof client.query
  })
  return pool
}

function kyselyOver(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: guarded(new PostgresDialect({ pool: preparing(pool) })), plugins: [new CamelCasePlugin()] })
}

/** Connects to PostgreSQL at `url`. */
export function openPostgres(url: string, poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  const db = kyselyOver(pool)
  return { db, backend: 'postgres', close: () => db.destroy() }
}

/** Opens (or creates) an embedded PGlite database. `dataDir` undefined means in memory. */
export async function openPglite(dataDir?: string, loadDataDir?: Blob | File): Promise<DatabaseHandle> {
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
  })
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 })
  const db = kyselyOver(pool)
  return {
    db,
    backend: 'pglite',
    pglite,
    close: async () => {
      await db.destroy()
      await pglite.close()
    },
  }
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `Thư mục dữ liệu đang được tiến trình khác (PID ${pid}) sử dụng: ${lockFile}\n` +
        `The data folder is in use by another Vì Dân process (PID ${pid}). ` +
        `Stop it first, or set VIDAN_DATA_DIR to another folder. Nothing was written.`,
    )
    this.name = 'DataDirLockedError'
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes an exclusive lock on an embedded data folder (PGlite does not lock it, and two
 * processes on one folder silently lose writes). The lock is a sibling file created with
 * O_EXCL holding our PID; a lock left by a dead process is taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/[\\/]+$/, '')}.lock`
  fs.mkdirSync(path.dirname(lockFile), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx')
      fs.writeSync(fd, String(process.pid))
      fs.closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile)
        } catch {
          /* already gone */
        }
      }
      process.once('exit', release)
      return release
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10)
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new DataDirLockedError(lockFile, pid)
      }
      fs.rmSync(lockFile, { force: true }) // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock ${lockFile}`)
}

/** Opens the configured backend: PostgreSQL when a URL is given, else embedded PGlite (locked). */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl)
  const release = lockDataDir(opts.dataDir)
  try {
    const handle = await openPglite(opts.dataDir)
    return {
      ...handle,
      close: async () => {
        try {
          await handle.close()
        } finally {
          release()
        }
      },
    }
  } catch (e) {
    release()
    throw e
  }
}
