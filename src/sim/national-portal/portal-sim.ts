import crypto from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { z } from 'zod'
import { eventKey, PORTAL_PATHS, PortalDossier, PortalProgress, PortalSubmission, verifySignature } from '../../modules/sync/index.js'
import { renderSimPage } from './portal-sim.page.js'
import { NO_PORTAL_FAULTS, type PortalFaults, type PortalSimStats, type SimDossier, type SimSubmission } from './portal-sim.types.js'

// A simulator of the National Public Service Portal's case sync (DOMAIN B §12.2) for development,
// tests and drills, on its own port. It checks every payload strictly against B §12.2 and answers
// in the portal's format ({ error_code, message }); it stores what it accepts as it arrives
// (records, and per dossier the events in arrival order, a resent event stored again, as a portal
// that does not deduplicate would), so a duplicate or a gap made by our side shows. Faults are
// switched on through a control API. It also offers dossiers "submitted on the portal" for intake.
// State lives in memory.

export { NO_PORTAL_FAULTS, type PortalFaults, type PortalSimStats, type SimDossier, type SimSubmission }

export interface PortalSimulatorOptions {
  port?: number
  host?: string
  /** Our partner key and secret. */
  key: string
  secret: string
  faults?: Partial<PortalFaults>
  /** Seed for the fault draws (same seed, same faults). */
  seed?: number
  log?: (line: string) => void
}

export interface PortalSimulator {
  url: string
  faults: PortalFaults
  setFaults(f: Partial<PortalFaults>): void
  dossiers(): Map<string, SimDossier>
  stats(): PortalSimStats
  /** A dossier submitted on the portal, offered for intake until acknowledged. */
  submit(s: PortalSubmission): void
  submissions(): SimSubmission[]
  close(): Promise<void>
}

/** A small seeded generator (mulberry32), so a drill's faults repeat. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const INVALID = 2
const NOT_FOUND = 4
const UNAUTHORISED = 401

const FaultsBody = z
  .object({
    http5xx: z.number().min(0).max(1),
    timeout: z.number().min(0).max(1),
    drop: z.number().min(0).max(1),
    slowMs: z.number().int().min(0).max(120_000),
    alreadyExists: z.boolean(),
  })
  .partial()
  .strict()

/** Starts the simulator's HTTP server on its own port. */
export async function startNationalPortalSimulator(opts: PortalSimulatorOptions): Promise<PortalSimulator> {
  const faults: PortalFaults = { ...NO_PORTAL_FAULTS, ...opts.faults }
  const random = seeded(opts.seed ?? 766)
  const dossiers = new Map<string, SimDossier>()
  const submissions = new Map<string, SimSubmission>()
  const stats: PortalSimStats = { calls: 0, accepted: 0, rejected: 0, eventsReceived: 0, duplicatesStored: 0, faults: { http5xx: 0, timeout: 0, drop: 0, alreadyExists: 0 } }
  const log = opts.log ?? (() => undefined)
  const hanging = new Set<FastifyReply>()

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  // Keep the raw body: the signature covers it byte for byte.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, { raw: body as string, json: JSON.parse(body as string) as unknown })
    } catch {
      done(null, { raw: body as string, json: undefined })
    }
  })

  const answer = (reply: FastifyReply, status: number, error_code: number, message: string, extra: Record<string, unknown> = {}) => {
    if (error_code === 0) stats.accepted++
    else if (status >= 400) stats.rejected++
    return reply.status(status).send({ error_code, message, ...extra })
  }

  const authorised = (req: FastifyRequest): boolean => {
    const body = (req.body as { raw?: string } | undefined)?.raw ?? ''
    const key = req.headers['x-partner-key']
    const ts = req.headers['x-timestamp']
    const sig = req.headers['x-signature']
    return key === opts.key && typeof ts === 'string' && typeof sig === 'string' && /^[0-9a-f]{64}$/.test(sig) && verifySignature(opts.secret, ts, body, sig)
  }

  const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)

  /** The sync endpoints: authenticate, inject faults, validate, handle. */
  const syncRoute = <T>(path: string, schema: z.ZodType<T>, handle: (body: T, reply: FastifyReply) => { status: number; code: number; message: string }, useFaults = true) =>
    app.post(path, async (req, reply) => {
      stats.calls++
      if (!authorised(req)) return answer(reply, 401, UNAUTHORISED, 'Sai khoá đối tác hoặc chữ ký.')
      if (useFaults) {
        if (faults.slowMs) await new Promise((r) => setTimeout(r, faults.slowMs))
        const r = random()
        if (r < faults.http5xx) {
          stats.faults.http5xx++
          return reply.status(503).send({ error_code: -1, message: 'Hệ thống đang bảo trì.' })
        }
        if (r < faults.http5xx + faults.timeout) {
          stats.faults.timeout++
          hanging.add(reply)
          return new Promise<void>(() => undefined) // never answers; closed by the client or at shutdown
        }
      }
      const parsed = schema.safeParse((req.body as { json?: unknown } | undefined)?.json)
      if (!parsed.success) return answer(reply, 400, INVALID, `Dữ liệu không hợp lệ: ${issues(parsed.error).join('; ')}`, { details: issues(parsed.error) })
      const out = handle(parsed.data, reply)
      const r2 = useFaults ? random() : 1
      if (useFaults && r2 < faults.drop) {
        stats.faults.drop++
        if (out.code === 0) stats.accepted++
        reply.hijack()
        req.raw.socket.destroy()
        return
      }
      return answer(reply, out.status, out.code, out.message)
    })

  const store = (rec: PortalDossier) => {
    const had = dossiers.get(rec.MaHoSo)
    if (had) {
      had.record = rec
      had.updates++
    } else dossiers.set(rec.MaHoSo, { record: rec, events: [], createdAt: new Date().toISOString(), updates: 0 })
  }

  syncRoute(PORTAL_PATHS.create, PortalDossier, (rec) => {
    if (faults.alreadyExists) {
      stats.faults.alreadyExists++
      store(rec)
      return { status: 200, code: 1, message: `Hồ sơ ${rec.MaHoSo} đã tồn tại.` }
    }
    if (dossiers.has(rec.MaHoSo)) return { status: 200, code: 1, message: `Hồ sơ ${rec.MaHoSo} đã tồn tại.` }
    store(rec)
    log(`create ${rec.MaHoSo} [${rec.TrangThaiHoSo}]`)
    return { status: 200, code: 0, message: 'Thêm mới thành công.' }
  })
  syncRoute(PORTAL_PATHS.update, PortalDossier, (rec) => {
    if (!dossiers.has(rec.MaHoSo)) return { status: 200, code: NOT_FOUND, message: `Không tìm thấy hồ sơ ${rec.MaHoSo}.` }
    store(rec)
    log(`update ${rec.MaHoSo} [${rec.TrangThaiHoSo}]`)
    return { status: 200, code: 0, message: 'Cập nhật thành công.' }
  })
  syncRoute(PORTAL_PATHS.progress, PortalProgress, (events) => {
    const unknown = events.find((e) => !dossiers.has(e.MaHoSo))
    if (unknown) return { status: 200, code: NOT_FOUND, message: `Không tìm thấy hồ sơ ${unknown.MaHoSo}.` }
    const at = new Date().toISOString()
    for (const e of events) {
      const d = dossiers.get(e.MaHoSo)!
      stats.eventsReceived++
      if (d.events.some((x) => eventKey(x) === eventKey(e))) stats.duplicatesStored++
      d.events.push({ ...e, receivedAt: at })
      log(`progress ${e.MaHoSo} [${e.TrangThai}] ${e.NoiDungXuLy.slice(0, 60)}`)
    }
    return { status: 200, code: 0, message: 'Đồng bộ tiến trình thành công.' }
  })
  // Intake and views: authenticated, never faulted (the drills fault the sync path).
  app.post(PORTAL_PATHS.submitted, async (req, reply) => {
    if (!authorised(req)) return answer(reply, 401, UNAUTHORISED, 'Sai khoá đối tác hoặc chữ ký.')
    return { error_code: 0, message: '', data: [...submissions.values()].filter((s) => !s.acknowledged).map((s) => s.submission) }
  })
  syncRoute(
    PORTAL_PATHS.acknowledge,
    z.object({ IdHoSoDVCQG: z.string().min(1), MaHoSo: z.string().optional() }).strict(),
    (b) => {
      const s = submissions.get(b.IdHoSoDVCQG)
      if (!s) return { status: 200, code: NOT_FOUND, message: `Không tìm thấy hồ sơ ${b.IdHoSoDVCQG}.` }
      s.acknowledged = true
      s.ourCode = b.MaHoSo ?? null
      return { status: 200, code: 0, message: 'Đã xác nhận tiếp nhận.' }
    },
    false,
  )
  app.post(PORTAL_PATHS.view, async (req, reply) => {
    if (!authorised(req)) return answer(reply, 401, UNAUTHORISED, 'Sai khoá đối tác hoặc chữ ký.')
    const code = z.object({ MaHoSo: z.string() }).safeParse((req.body as { json?: unknown } | undefined)?.json)
    if (!code.success) return answer(reply, 400, INVALID, 'Thiếu MaHoSo.')
    const d = dossiers.get(code.data.MaHoSo)
    if (!d) return reply.status(404).send({ error_code: NOT_FOUND, message: 'Không tìm thấy hồ sơ.' })
    return { error_code: 0, message: '', data: { HoSo: d.record, QuaTrinhXuLy: d.events.map(({ receivedAt: _r, ...e }) => e) } }
  })

  // ---- the simulator's own page and control API (no signature: a local tool) ----
  const snapshot = () => ({ stats, faults, dossiers: Object.fromEntries(dossiers), submissions: [...submissions.values()] })
  app.get('/sim', async (_req, reply) => reply.type('text/html; charset=utf-8').send(renderSimPage(snapshot())))
  app.get('/sim/api/state', async () => snapshot())
  app.get('/sim/api/dossiers/:code', async (req, reply) => {
    const d = dossiers.get((req.params as { code: string }).code)
    return d ?? reply.status(404).send({ error_code: NOT_FOUND, message: 'Không tìm thấy hồ sơ.' })
  })
  app.post('/sim/api/faults', async (req, reply) => {
    const f = FaultsBody.safeParse((req.body as { json?: unknown } | undefined)?.json)
    if (!f.success) return reply.status(400).send({ error_code: INVALID, message: issues(f.error).join('; ') })
    Object.assign(faults, f.data)
    log(`faults ${JSON.stringify(faults)}`)
    return faults
  })
  app.post('/sim/api/submissions', async (req, reply) => {
    const s = PortalSubmission.safeParse((req.body as { json?: unknown } | undefined)?.json)
    if (!s.success) return reply.status(400).send({ error_code: INVALID, message: issues(s.error).join('; ') })
    sim.submit(s.data)
    return { error_code: 0, message: 'Đã nhận hồ sơ.' }
  })

  const address = await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' })
  const url = address.replace('[::1]', 'localhost')
  const sim: PortalSimulator = {
    url,
    faults,
    setFaults: (f) => void Object.assign(faults, f),
    dossiers: () => dossiers,
    stats: () => stats,
    submit(s) {
      if (!submissions.has(s.IdHoSoDVCQG)) submissions.set(s.IdHoSoDVCQG, { submission: s, acknowledged: false, ourCode: null })
      dossiers.set(s.HoSo.MaHoSo, dossiers.get(s.HoSo.MaHoSo) ?? { record: s.HoSo, events: [], createdAt: new Date().toISOString(), updates: 0 })
    },
    submissions: () => [...submissions.values()],
    async close() {
      for (const r of hanging) r.raw.destroy()
      app.server.closeAllConnections()
      await app.close()
    },
  }
  return sim
}

/** A dossier as a citizen would submit it on the portal (demo and tests). */
export function sampleSubmission(n: number, procedureCode: string, communeCode?: string): PortalSubmission {
  const id = crypto.randomBytes(6).toString('hex')
  const now = new Date(Date.now() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return {
    IdHoSoDVCQG: `DVCQG-${id}`,
    HoSo: {
      MaHoSo: `G22.${now.slice(2, 8)}.${String(n).padStart(5, '0')}-${id.slice(0, 4)}`,
      MaTTHC: procedureCode,
      TenTTHC: 'Thủ tục nộp trên Cổng DVCQG',
      KenhThucHien: 2,
      ChuHoSo: 'Nguyễn Thị Lan',
      SoGiayToChuHoSo: '096190001234',
      LoaiDoiTuong: 1,
      SoDienThoai: '0912345678',
      TrichYeuHoSo: 'Hồ sơ nộp trực tuyến trên Cổng Dịch vụ công quốc gia',
      NgayNopHoSo: now,
      TrangThaiHoSo: 1,
    },
    ...(communeCode ? { MaXa: communeCode } : {}),
  }
}
