import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import type { Db } from '../shared/database.js'

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations')

/** Reads the timestamped migration files of db/migrations, in name order. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}-\d{2}-\d{2}T\d{4}_.+\.ts$/.test(f)).sort()
    const out: Record<string, Migration> = {}
    for (const f of files) {
      out[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, f)).href)) as Migration
    }
    return out
  }
}

export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(`migration ${migration ?? '?'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'MigrationFailedError'
  }
}

/** Brings the schema to the latest migration; returns the names applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() })
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest()
  if (error) throw new MigrationFailedError(results?.find((r) => r.status === 'Error')?.migrationName, error)
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
