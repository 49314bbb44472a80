import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openPglite } from '../src/app/db.js'
import { runCli, startServer, type ServerProcess } from './support/server-process.js'
import { backend } from './support/test-db.js'

/** Hash of every file under a folder: any write shows up. */
function snapshot(dir: string): string {
  const h = crypto.createHash('sha256')
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else h.update(p).update(fs.readFileSync(p))
    }
  }
  walk(dir)
  return h.digest('hex')
}

// These start real `vidan` processes on the embedded database; the PostgreSQL run skips them.
describe.runIf(backend() === 'pglite')('the vidan executable', () => {
  const servers: ServerProcess[] = []
  afterAll(async () => {
    for (const s of servers) await s.stop()
  })

  it('refuses a second server on the same data folder, clearly, and writes nothing', async () => {
    const first = await startServer()
    servers.push(first)
    // While a real server holds the folder, a second one is refused and the first still answers.
    const second = await runCli(['serve'], { VIDAN_DATA_DIR: first.dataDir, PORT: '0' })
    expect(second.code).toBe(2)
    expect(second.output).toContain('đang được tiến trình khác')
    expect(second.output).toContain(`PID ${first.child.pid}`)
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200)
    await first.stop()

    // Writes nothing: with the folder held by another live process (no server of ours running,
    // so no background job writes meanwhile), the refused process leaves every file unchanged.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' })
    try {
      fs.writeFileSync(`${first.dataDir}.lock`, String(holder.pid))
      const before = snapshot(first.dataDir)
      const refused = await runCli(['serve'], { VIDAN_DATA_DIR: first.dataDir, PORT: '0' })
      expect(refused.code).toBe(2)
      expect(refused.output).toContain(`PID ${holder.pid}`)
      expect(snapshot(first.dataDir)).toBe(before)
    } finally {
      holder.kill()
      fs.rmSync(`${first.dataDir}.lock`, { force: true })
    }
  }, 180_000)

  it('takes over a lock left by a process that died', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-lock-')), 'data')
    fs.writeFileSync(`${dataDir}.lock`, '999999999')
    const r = await runCli(['migrate'], { VIDAN_DATA_DIR: dataDir })
    expect(r.code).toBe(0)
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false)
  }, 120_000)

  it('in production mode never creates demo accounts', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-prod-')), 'data')
    const env = { VIDAN_DATA_DIR: dataDir, VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: crypto.randomBytes(32).toString('hex') }
    const refused = await runCli(['seed', '--demo'], env)
    expect(refused.code).toBe(2)
    expect(refused.output).toContain('refused in production')
    const s = await startServer({ dataDir, env })
    servers.push(s)
    expect(s.output()).not.toContain('demo accounts')
    const login = await fetch(`${s.url}/staff/login`)
    expect(login.status).toBe(200)
    // No demo identity provider either: citizen login waits for a real provider (VIDAN_OIDC_ISSUER).
    expect((await fetch(`${s.url}/idp-demo/.well-known/openid-configuration`)).status).toBe(404)
    const citizen = await fetch(`${s.url}/dang-nhap/cong-dan`, { redirect: 'manual' })
    expect(citizen.status).toBe(503)
    expect(await citizen.text()).toContain('chưa được cấu hình')
  }, 120_000)

  it('`vidan audit verify` passes on the demo dossiers and names the event someone tampered with (issue 5 §7)', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-audit-')), 'data')
    const env = { VIDAN_DATA_DIR: dataDir }
    expect((await runCli(['seed', '--demo'], env)).code).toBe(0)
    const ok = await runCli(['audit', 'verify'], env)
    expect(ok.code, ok.output).toBe(0)
    expect(ok.output).toMatch(/audit: OK, 11 dossiers and \d+ events/)

    // Someone with owner rights on the database gets past the append-only trigger and rewrites
    // what an officer did, in one stored event.
    const h = await openPglite(dataDir)
    const victim = await h.db
      .selectFrom('dossierEvents')
      .innerJoin('dossiers', 'dossiers.id', 'dossierEvents.dossierId')
      .select(['dossierEvents.id', 'dossierEvents.seq', 'dossiers.code'])
      .where('dossierEvents.action', '=', 'approve')
      .orderBy('dossierEvents.occurredAt')
      .executeTakeFirstOrThrow()
    await sql`ALTER TABLE dossier_events DISABLE TRIGGER dossier_events_no_update`.execute(h.db)
    await sql`UPDATE dossier_events SET content = content || ' (sửa)' WHERE id = ${victim.id}`.execute(h.db)
    await h.close()

    const broken = await runCli(['audit', 'verify'], env)
    expect(broken.code).toBe(1)
    expect(broken.output).toContain(`BROKEN at dossier ${victim.code}`)
    expect(broken.output).toContain(`event seq ${victim.seq}`)
  }, 180_000)

  it('lists every configuration problem at once and exits', async () => {
    const r = await runCli(['migrate'], { PORT: 'abc', VIDAN_MODE: 'staging' })
    expect(r.code).toBe(2)
    expect(r.output).toContain('PORT')
    expect(r.output).toContain('VIDAN_MODE')
  })
})
