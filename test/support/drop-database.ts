import type pg from 'pg'

/**
 * Drops a test database. Our own pool is closed by then, but an autovacuum worker may still be
 * in it (a file that wrote many rows); a role that is not a superuser and lacks
 * `pg_signal_backend` may not terminate that worker (42501), while a plain DROP waits for it
 * to leave (55006 if it does not in time), so retry the plain form for a while.
 */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    return
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`)
      return
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}
