import crypto from 'node:crypto'
import fastifyFormbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import { normalizeVnMobile, SMS_API_KEY_HEADER, SMS_CODES, SMS_MAX_LENGTH, SMS_PATHS, SmsSendRequest, type SmsCode } from '../../modules/notify/index.js'
import { smsSimPage } from './sms-sim.pages.js'
import type { SmsSimFaults, SmsSimMessage } from './sms-sim.types.js'

export type { SmsSimFaults, SmsSimMessage }

// A simulator of an SMS brandname gateway for development, tests and the demo: it behaves like
// one (API key, registered brandnames, number and length checks, idempotent request ids, a
// status query) and keeps every accepted message in an inbox per phone, readable on a page and
// as JSON, so a test or a demo reads the code a citizen "received". Faults for drills: answer
// 5xx, or hold the answer past the caller's timeout. In memory; it logs message ids only.

export interface SmsSimulatorOptions {
  port?: number
  host?: string
  apiKey: string
  brandnames: string[]
  faults?: Partial<SmsSimFaults>
  log?: (line: string) => void
}

export interface SmsSimulator {
  url: string
  faults: SmsSimFaults
  /** Messages to one phone (any form the gateway accepts), newest first; all messages without a phone. */
  inbox(phone?: string): SmsSimMessage[]
  /** The newest run of 6 digits in the newest message to the phone (what a citizen reads out). */
  lastCode(phone: string): string | undefined
  clear(): void
  close(): Promise<void>
}

/** Starts the simulator's HTTP server on its own port. */
export async function startSmsSimulator(opts: SmsSimulatorOptions): Promise<SmsSimulator> {
  const faults: SmsSimFaults = { mode: 'none', holdMs: 30_000, ...opts.faults }
  const messages: SmsSimMessage[] = []
  const byRequest = new Map<string, SmsSimMessage>()
  const brandnames = new Set(opts.brandnames)
  const log = opts.log ?? (() => undefined)
  let seq = 0

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true })
  await app.register(fastifyFormbody)

  const answer = (code: SmsCode, extra: Record<string, unknown> = {}) => ({ code, message: SMS_CODES[code], ...extra })
  const keyOk = (h: unknown) => typeof h === 'string' && h.length === opts.apiKey.length && crypto.timingSafeEqual(Buffer.from(h), Buffer.from(opts.apiKey))
  const hold = () => new Promise((r) => setTimeout(r, faults.holdMs).unref())

  app.post(SMS_PATHS.send, async (req, reply) => {
    if (faults.mode === 'timeout') await hold()
    if (faults.mode === 'error') return reply.status(500).send(answer('99'))
    if (!keyOk(req.headers[SMS_API_KEY_HEADER])) return reply.status(401).send(answer('01'))
    const m = SmsSendRequest.safeParse(req.body)
    if (!m.success) return reply.status(400).send(answer('04'))
    if (!brandnames.has(m.data.brandname)) return reply.status(403).send(answer('02'))
    const phone = normalizeVnMobile(m.data.phone)
    if (!phone || phone !== m.data.phone) return reply.status(400).send(answer('03'))
    if (!m.data.message.trim() || m.data.message.length > SMS_MAX_LENGTH) return reply.status(400).send(answer('04'))
    const seen = byRequest.get(m.data.requestId)
    if (seen) return answer('05', { messageId: seen.id })
    seq++
    const msg: SmsSimMessage = { id: `SMS${String(seq).padStart(8, '0')}`, phone, brandname: m.data.brandname, text: m.data.message, requestId: m.data.requestId, type: m.data.type, at: new Date(), status: 'delivered' }
    messages.push(msg)
    byRequest.set(msg.requestId, msg)
    log(`accepted ${msg.id} (${msg.type})`)
    return answer('00', { messageId: msg.id })
  })

  app.get(`${SMS_PATHS.status}/:id`, async (req, reply) => {
    if (faults.mode === 'error') return reply.status(500).send(answer('99'))
    if (!keyOk(req.headers[SMS_API_KEY_HEADER])) return reply.status(401).send(answer('01'))
    const msg = messages.find((x) => x.id === (req.params as { id: string }).id)
    if (!msg) return reply.status(404).send({ code: '04', message: 'Không tìm thấy tin nhắn' })
    return answer('00', { messageId: msg.id, status: msg.status })
  })

  const inbox = (phone?: string) => {
    const p = phone ? normalizeVnMobile(phone) : undefined
    if (phone && !p) return []
    return messages.filter((x) => !p || x.phone === p).reverse()
  }

  // ---- the phones' side and control, for tests, drills and the demo -------------------------------
  app.get('/sim', async (req, reply) => {
    const phone = (req.query as Record<string, string | undefined>)['phone']
    return reply.type('text/html; charset=utf-8').send(smsSimPage({ messages: inbox(phone || undefined), phone: phone ?? '', faults }))
  })
  app.get('/sim/inbox', async (req) => {
    const phone = (req.query as Record<string, string | undefined>)['phone']
    return inbox(phone || undefined)
  })
  app.post('/sim/faults', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>
    if (b['mode'] === 'none' || b['mode'] === 'error' || b['mode'] === 'timeout') faults.mode = b['mode']
    if ('holdMs' in b) faults.holdMs = Math.max(0, Math.min(600_000, Number(b['holdMs']) || 0))
    if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return reply.redirect('/sim', 303)
    return faults
  })
  app.post('/sim/clear', async (_req, reply) => {
    sim.clear()
    return reply.redirect('/sim', 303)
  })

  const url = (await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' })).replace(/\/+$/, '')
  const sim: SmsSimulator = {
    url,
    faults,
    inbox,
    lastCode: (phone) => {
      const m = inbox(phone)[0]
      return m ? [...m.text.matchAll(/\b(\d{6})\b/g)].map((x) => x[1]).pop() : undefined
    },
    clear() {
      messages.length = 0
      byRequest.clear()
    },
    close: () => app.close(),
  }
  return sim
}
