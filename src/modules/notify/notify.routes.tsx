import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CitizenPrincipal, StaffPrincipal } from '../../shared/auth.js'
import { DomainError, fieldErrorsOf, httpStatusOf } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import type { FieldErrors } from '../../shared/ui/fields.js'
import { findDossier } from '../dossiers/index.js'
import { maskPhone } from '../identity/index.js'
import { smtpSender, type SmtpSettings } from './notify.channels.js'
import { MessagesPage } from './notify.pages.js'
import type { SmsSender } from './sms.gateway.js'
import { delivered } from '../../shared/outbox-dispatcher.js'
import { deliveriesOfDossier, inAppMessagesOf, markRead, NOTIFY_TOPICS, planNotifications, preferencesOf, savePreferences, sendDueNotifications, type NotifyDeps } from './notify.service.js'

export interface NotifySettings {
  /** Unset: no e-mail is sent (messages recorded as skipped, channel off). */
  smtp: SmtpSettings | undefined
  /** Unset: no SMS is sent (recorded as skipped, channel off). */
  sms?: SmsSender | undefined
}

export const MESSAGES_PATH = '/cong-dan/thong-bao'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
const MessageDto = z.object({ id: z.string(), dossierId: z.string(), dossierCode: z.string().nullable(), template: z.string(), subject: z.string(), body: z.string(), createdAt: z.string(), readAt: z.string().nullable() })
const PreferencesForm = z.object({ email: z.string().max(300).default(''), emailEnabled: z.string().optional(), smsEnabled: z.string().optional(), version: z.coerce.number().int().min(0).max(1_000_000).default(0) })

/** "a***@example.vn", "091******56": recipients as the back office sees them. */
export function maskRecipient(channel: string, r: string | null): string | null {
  if (!r) return null
  if (channel === 'sms') return maskPhone(r)
  const [user = '', domain = ''] = r.split('@')
  return `${user.slice(0, 1)}***@${domain}`
}

/** Notifications to applicants: planned from dossier events, sent by e-mail and SMS, shown in-app. */
export function notifyModule(settings: NotifySettings): VidanModule {
  const email = settings.smtp ? smtpSender(settings.smtp) : undefined
  const depsOf = (m: ModuleDeps): NotifyDeps => ({ db: m.db, clock: m.clock, publicUrl: m.publicUrl, email, sms: settings.sms })
  return {
    name: 'notify',
    register(appIn: FastifyInstance, m: ModuleDeps) {
      const app = appIn.withTypeProvider<ZodTypeProvider>()
      const citizen = m.guards.citizen()

      const page = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; message?: string; saved?: boolean; status?: number; form?: { email: string; emailEnabled: boolean; smsEnabled: boolean } } = {}) => {
        const me = req.principal as CitizenPrincipal
        const prefs = await preferencesOf(m.db, me.citizenId)
        return reply.page(
          { title: tr(req.lang, 'Thông báo của tôi', 'My messages'), status: extra.status ?? 200 },
          <MessagesPage
            lang={req.lang}
            csrf={reply.csrfToken()}
            messages={await inAppMessagesOf(m.db, me.citizenId)}
            prefs={{ ...prefs, ...extra.form }}
            errors={extra.errors ?? {}}
            message={extra.message}
            saved={extra.saved ?? false}
          />,
        )
      }

      app.get(MESSAGES_PATH, { schema: { hide: true, querystring: z.object({ luu: z.string().max(2).optional() }) }, preHandler: citizen }, async (req, reply) => page(req, reply, { saved: req.query.luu === '1' }))

      app.post(`${MESSAGES_PATH}/cai-dat`, { schema: { hide: true, body: PreferencesForm }, preHandler: citizen }, async (req, reply) => {
        const me = req.principal as CitizenPrincipal
        const form = { email: req.body.email, emailEnabled: req.body.emailEnabled === 'on', smsEnabled: req.body.smsEnabled === 'on' }
        try {
          await savePreferences(m.db, m.clock, me.citizenId, { ...form, expectedVersion: req.body.version })
          return reply.redirect(`${MESSAGES_PATH}?luu=1`, 303)
        } catch (e) {
          if (!(e instanceof DomainError)) throw e
          return page(req, reply, { errors: fieldErrorsOf(e) ?? {}, message: e.message, status: httpStatusOf(e), form })
        }
      })

      app.post(`${MESSAGES_PATH}/:id/da-doc`, { schema: { hide: true, params: z.object({ id: z.string().uuid() }) }, preHandler: citizen }, async (req, reply) => {
        await markRead(m.db, m.clock, (req.principal as CitizenPrincipal).citizenId, req.params.id)
        return reply.redirect(MESSAGES_PATH, 303)
      })

      app.get(
        '/api/v1/citizen/messages',
        { schema: { tags: ['citizen'], summary: "The signed-in citizen's in-app messages about their dossiers, newest first", response: { 200: z.object({ items: z.array(MessageDto) }) } }, preHandler: citizen },
        async (req) => ({
          items: (await inAppMessagesOf(m.db, (req.principal as CitizenPrincipal).citizenId)).map((x) => ({ ...x, createdAt: x.createdAt.toISOString(), readAt: x.readAt?.toISOString() ?? null })),
        }),
      )

      app.get(
        '/api/v1/dossiers/:id/notifications',
        {
          schema: {
            tags: ['dossiers'],
            summary: 'Delivery of every message sent to the applicant about a dossier (recipients masked); staff of the agencies handling it',
            params: z.object({ id: z.string().uuid() }),
            response: {
              200: z.object({
                items: z.array(
                  z.object({
                    template: z.string(),
                    channel: z.string(),
                    recipient: z.string().nullable(),
                    status: z.string(),
                    skipReason: z.string().nullable(),
                    attempts: z.number(),
                    lastError: z.string().nullable(),
                    createdAt: z.string(),
                    sentAt: z.string().nullable(),
                  }),
                ),
              }),
              404: ErrorDto,
            },
          },
          preHandler: m.guards.staff(),
        },
        async (req, reply) => {
          const me = req.principal as StaffPrincipal
          const d = await findDossier(m.db, req.params.id)
          const mayRead = d && (me.role === 'admin' || [d.receivingAgencyId, d.competentAgencyId, d.currentAgencyId].includes(me.agencyId))
          if (!mayRead) return reply.status(404).send({ error: { code: 'DOSSIER.NOT_FOUND', message: 'Không tìm thấy hồ sơ.' } })
          const rows = await deliveriesOfDossier(m.db, d.id)
          return {
            items: rows.map((r) => ({
              template: r.template,
              channel: r.channel,
              recipient: maskRecipient(r.channel, r.recipient),
              status: r.status,
              skipReason: r.skipReason,
              attempts: r.attempts,
              lastError: r.lastError,
              createdAt: r.createdAt.toISOString(),
              sentAt: r.sentAt?.toISOString() ?? null,
            })),
          }
        },
      )
    },
    jobs(m: ModuleDeps) {
      const deps = depsOf(m)
      return [{ name: 'notify.send', everyMs: 5_000, run: () => sendDueNotifications(deps) }]
    },
    // Messages are planned from dossier events delivered by the outbox dispatcher (each event once, in order per dossier).
    subscribers(m: ModuleDeps) {
      const deps = depsOf(m)
      return [
        {
          name: 'notify',
          topics: NOTIFY_TOPICS,
          deliver: async (event) => {
            await planNotifications(deps, event)
            return delivered()
          },
        },
      ]
    },
  }
}
