import { z } from 'zod'
import { ALREADY_EXISTS, NON_FATAL_CODES, PORTAL_PATHS, PortalAnswer, PortalSubmission, PortalView, signRequest, type PortalDossier, type PortalEvent } from './sync.protocol.js'

/** How a call to the portal ended, as the sync needs to know it. */
export type PortalResult =
  | { kind: 'ok'; answer: PortalAnswer }
  /** The record is there already (B §12.2: "đã tồn tại"): update it instead. */
  | { kind: 'exists'; answer: PortalAnswer }
  /** The portal does not know the dossier (a progress event before its record). */
  | { kind: 'not_found'; answer: PortalAnswer }
  /** Refused for its content: sending it again will not help. */
  | { kind: 'rejected'; message: string }
  /** Network error, timeout, 5xx, an answer we cannot read: try again later. */
  | { kind: 'unavailable'; message: string }

/** The national portal as the sync sees it (an HTTP client in production, the simulator's in tests). */
export interface NationalPortal {
  createDossier(d: PortalDossier): Promise<PortalResult>
  updateDossier(d: PortalDossier): Promise<PortalResult>
  sendProgress(events: PortalEvent[]): Promise<PortalResult>
  /** Dossiers submitted on the portal and not yet acknowledged. */
  listSubmitted(): Promise<PortalSubmissionList>
  acknowledge(portalDossierId: string, ourCode: string | null): Promise<PortalResult>
  /** The portal's record and events of a dossier, or undefined when it has none. */
  view(code: string): Promise<PortalView | undefined>
}

export type PortalSubmissionList = { ok: true; items: z.infer<typeof PortalSubmission>[] } | { ok: false; message: string }

export interface PortalSettings {
  /** Base URL of the portal's sync API (VIDAN_NATIONAL_PORTAL_URL). */
  url: string
  /** Our partner key and secret at the portal. */
  key: string
  secret: string
  /** Per call; keep it under the dispatcher's lease. */
  timeoutMs: number
}

const NOT_FOUND_CODE = 4

/** The HTTP implementation: JSON over POST, signed, with a timeout; every failure mapped to a PortalResult. */
export function httpNationalPortal(s: PortalSettings, fetchImpl: typeof fetch = fetch): NationalPortal {
  const base = s.url.replace(/\/+$/, '')
  async function call(path: string, body: unknown): Promise<{ status: number; json: unknown } | { error: string }> {
    const text = JSON.stringify(body)
    const timestamp = String(Date.now())
    try {
      const res = await fetchImpl(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-partner-key': s.key, 'x-timestamp': timestamp, 'x-signature': signRequest(s.secret, timestamp, text) },
        body: text,
        signal: AbortSignal.timeout(s.timeoutMs),
      })
      const raw = await res.text()
      let json: unknown
      try {
        json = JSON.parse(raw)
      } catch {
        json = undefined
      }
      return { status: res.status, json }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } }
      return { error: err.name === 'TimeoutError' ? `timeout after ${s.timeoutMs} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}` }
    }
  }
  async function answered(path: string, body: unknown): Promise<PortalResult> {
    const r = await call(path, body)
    if ('error' in r) return { kind: 'unavailable', message: r.error }
    const parsed = PortalAnswer.safeParse(r.json)
    if (r.status >= 500 || r.status === 429 || r.status === 408) return { kind: 'unavailable', message: `HTTP ${r.status}${parsed.success ? `: ${parsed.data.message}` : ''}` }
    if (!parsed.success) return { kind: r.status >= 400 ? 'rejected' : 'unavailable', message: `HTTP ${r.status}: unreadable answer` }
    const a = parsed.data
    if (a.message.toLowerCase().includes(ALREADY_EXISTS)) return { kind: 'exists', answer: a }
    if (r.status < 400 && (NON_FATAL_CODES as readonly number[]).includes(a.error_code)) return { kind: 'ok', answer: a }
    if (a.error_code === NOT_FOUND_CODE) return { kind: 'not_found', answer: a }
    return { kind: 'rejected', message: `HTTP ${r.status}, error_code ${a.error_code}: ${a.message}` }
  }
  return {
    createDossier: (d) => answered(PORTAL_PATHS.create, d),
    updateDossier: (d) => answered(PORTAL_PATHS.update, d),
    sendProgress: (events) => answered(PORTAL_PATHS.progress, events),
    acknowledge: (id, code) => answered(PORTAL_PATHS.acknowledge, { IdHoSoDVCQG: id, MaHoSo: code ?? undefined }),
    async listSubmitted() {
      const r = await call(PORTAL_PATHS.submitted, {})
      if ('error' in r) return { ok: false, message: r.error }
      const parsed = z.object({ error_code: z.literal(0), data: z.array(z.unknown()) }).safeParse(r.json)
      if (r.status !== 200 || !parsed.success) return { ok: false, message: `HTTP ${r.status}: unexpected answer` }
      // One bad submission must not stop the others: keep those that parse.
      const items = parsed.data.data.flatMap((x) => {
        const p = PortalSubmission.safeParse(x)
        return p.success ? [p.data] : []
      })
      return { ok: true, items }
    },
    async view(code) {
      const r = await call(PORTAL_PATHS.view, { MaHoSo: code })
      if ('error' in r) throw new Error(`portal unavailable: ${r.error}`)
      if (r.status === 404) return undefined
      const parsed = z.object({ error_code: z.number(), data: PortalView.optional() }).safeParse(r.json)
      if (!parsed.success || r.status !== 200) throw new Error(`portal view of ${code}: HTTP ${r.status}`)
      return parsed.data.data
    },
  }
}
