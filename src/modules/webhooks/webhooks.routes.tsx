import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { DomainError, fieldErrorsOf, httpStatusOf } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { delivered } from '../../shared/outbox-dispatcher.js'
import type { FieldErrors } from '../../shared/ui/fields.js'
import { WebhookPage, WebhooksPage, type SubscriptionForm } from './webhooks.pages.js'
import {
  createSubscription,
  deactivateSubscription,
  deliveriesOf,
  getSubscription,
  listSubscriptions,
  planWebhookDeliveries,
  replayDelivery,
  sendDueWebhooks,
  WEBHOOK_TOPICS,
  type WebhookDeps,
} from './webhooks.service.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
const listOf = z.preprocess((v: unknown): unknown => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(100)).max(100))
const CreateBody = z.object({
  name: z.string().max(300).default(''),
  url: z.string().max(3000).default(''),
  agencyId: z.string().max(100).default(''),
  procedureCode: z.string().max(60).default(''),
  topics: listOf,
})
const SubscriptionDto = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  agencyId: z.string().nullable(),
  procedureCode: z.string().nullable(),
  topics: z.array(z.string()),
  active: z.boolean(),
  version: z.number(),
})
const DEFAULT_TOPICS = ['dossier.receive', 'dossier.refuse', 'dossier.request_supplement', 'dossier.approve', 'dossier.reject', 'dossier.return_result', 'dossier.approve_apology']


/** Webhooks for integrators: subscriptions, signed deliveries with retries, a delivery log. */
export const webhooksModule: VidanModule = {
  name: 'webhooks',
  register(appIn: FastifyInstance, m: ModuleDeps) {
    const app = appIn.withTypeProvider<ZodTypeProvider>()
    const deps: WebhookDeps = { db: m.db, clock: m.clock, mode: m.mode }
    const admin = m.guards.staff('admin')
    const me = (req: FastifyRequest) => req.principal as StaffPrincipal

    const listPage = async (req: FastifyRequest, reply: FastifyReply, extra: { form?: SubscriptionForm; errors?: FieldErrors; message?: string; status?: number; created?: { id: string; secret: string } } = {}) =>
      reply.header('cache-control', 'no-store').page(
        { title: tr(req.lang, 'Webhook', 'Webhooks'), status: extra.status ?? 200 },
        <WebhooksPage
          lang={req.lang}
          csrf={reply.csrfToken()}
          subs={await listSubscriptions(m.db)}
          topics={WEBHOOK_TOPICS}
          form={extra.form ?? { name: '', url: '', agencyId: '', procedureCode: '', topics: DEFAULT_TOPICS }}
          errors={extra.errors ?? {}}
          message={extra.message}
          created={extra.created}
        />,
      )

    app.get('/admin/webhooks', { schema: { hide: true }, preHandler: admin }, async (req, reply) => listPage(req, reply))

    app.post('/admin/webhooks', { schema: { hide: true, body: CreateBody }, preHandler: admin }, async (req, reply) => {
      try {
        const created = await createSubscription(deps, me(req).accountId, req.body)
        return listPage(req, reply, { created })
      } catch (e) {
        if (!(e instanceof DomainError)) throw e
        return listPage(req, reply, { form: req.body, errors: fieldErrorsOf(e) ?? {}, message: e.message, status: httpStatusOf(e) })
      }
    })

    const onePage = async (req: FastifyRequest, reply: FastifyReply, id: string, message?: string, status = 200) => {
      const sub = await getSubscription(m.db, id).catch(() => undefined)
      if (!sub) return reply.callNotFound()
      return reply.page({ title: sub.name, status }, <WebhookPage lang={req.lang} csrf={reply.csrfToken()} sub={sub} deliveries={await deliveriesOf(m.db, id)} message={message} />)
    }
    const Id = z.object({ id: z.string().uuid() })

    app.get('/admin/webhooks/:id', { schema: { hide: true, params: Id }, preHandler: admin }, async (req, reply) => onePage(req, reply, req.params.id))

    app.post('/admin/webhooks/:id/dung', { schema: { hide: true, params: Id, body: z.object({ expectedVersion: z.coerce.number().int().min(1) }) }, preHandler: admin }, async (req, reply) => {
      try {
        await deactivateSubscription(deps, req.params.id, req.body.expectedVersion)
        return reply.redirect(`/admin/webhooks/${req.params.id}`, 303)
      } catch (e) {
        if (!(e instanceof DomainError)) throw e
        return onePage(req, reply, req.params.id, e.message, httpStatusOf(e))
      }
    })

    app.post('/admin/webhooks/:id/gui-lai/:deliveryId', { schema: { hide: true, params: Id.extend({ deliveryId: z.string().uuid() }) }, preHandler: admin }, async (req, reply) => {
      try {
        await replayDelivery(deps, req.params.id, req.params.deliveryId)
        return reply.redirect(`/admin/webhooks/${req.params.id}`, 303)
      } catch (e) {
        if (!(e instanceof DomainError)) throw e
        return onePage(req, reply, req.params.id, e.message, httpStatusOf(e))
      }
    })

    // JSON API for administrators' tooling.
    app.get('/api/v1/webhooks', { schema: { tags: ['webhooks'], summary: 'Webhook subscriptions (administrators)', response: { 200: z.object({ items: z.array(SubscriptionDto) }) } }, preHandler: admin }, async () => ({
      items: (await listSubscriptions(m.db)).map((s) => ({ id: s.id, name: s.name, url: s.url, agencyId: s.agencyId, procedureCode: s.procedureCode, topics: s.topics, active: s.active, version: s.version })),
    }))

    app.post(
      '/api/v1/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Subscribe an endpoint to dossier events; the answer carries the signing secret, shown this once',
          body: CreateBody,
          response: { 201: z.object({ id: z.string(), secret: z.string(), topics: z.array(z.string()) }), 400: ErrorDto },
        },
        preHandler: admin,
      },
      async (req, reply) => {
        const c = await createSubscription(deps, me(req).accountId, req.body)
        return reply.status(201).send({ ...c, topics: req.body.topics })
      },
    )

    app.post(
      '/api/v1/webhooks/:id/deactivate',
      { schema: { tags: ['webhooks'], summary: 'Stop a subscription (optimistic version)', params: Id, body: z.object({ expectedVersion: z.number().int().min(1) }), response: { 204: z.null(), 404: ErrorDto, 409: ErrorDto } }, preHandler: admin },
      async (req, reply) => {
        await deactivateSubscription(deps, req.params.id, req.body.expectedVersion)
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/api/v1/webhooks/:id/deliveries',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'The delivery log of a subscription, newest first',
          params: Id,
          response: {
            200: z.object({
              items: z.array(z.object({ id: z.string(), eventId: z.number(), topic: z.string(), dossierId: z.string(), status: z.string(), attempts: z.number(), lastStatusCode: z.number().nullable(), lastError: z.string().nullable(), deliveredAt: z.string().nullable() })),
            }),
            404: ErrorDto,
          },
        },
        preHandler: admin,
      },
      async (req) => {
        await getSubscription(m.db, req.params.id)
        return {
          items: (await deliveriesOf(m.db, req.params.id)).map((d) => ({
            id: d.id,
            eventId: Number(d.eventId),
            topic: d.topic,
            dossierId: d.dossierId,
            status: d.status,
            attempts: d.attempts,
            lastStatusCode: d.lastStatusCode,
            lastError: d.lastError,
            deliveredAt: d.deliveredAt?.toISOString() ?? null,
          })),
        }
      },
    )
  },
  jobs(m: ModuleDeps) {
    const deps: WebhookDeps = { db: m.db, clock: m.clock, mode: m.mode }
    return [{ name: 'webhooks.send', everyMs: 3_000, run: () => sendDueWebhooks(deps) }]
  },
  // Deliveries are planned from dossier events handed by the outbox dispatcher.
  subscribers(m: ModuleDeps) {
    const deps: WebhookDeps = { db: m.db, clock: m.clock, mode: m.mode }
    return [
      {
        name: 'webhooks',
        topics: WEBHOOK_TOPICS,
        deliver: async (event) => {
          await planWebhookDeliveries(deps, event)
          return delivered()
        },
      },
    ]
  },
}
