import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Db } from '../shared/database.js'
import { outboxStats, type SubscriberStats } from '../shared/outbox-dispatcher.js'

/** Prometheus metrics: process, HTTP by route pattern (never the raw URL), outbox backlog. */
export function createMetrics(app: FastifyInstance, db: Db) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'vidan_' })
  const requests = new Counter({
    name: 'vidan_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'vidan_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  new Gauge({
    name: 'vidan_outbox_events_total',
    help: 'Domain events written to the outbox',
    registers: [registry],
    async collect() {
      const r = await sql<{ n: number }>`select count(*)::int as n from outbox_events`.execute(db)
      this.set(r.rows[0]?.n ?? 0)
    },
  })
  // Delivery backlog per subscriber (outbox dispatcher): one query per scrape feeds the four gauges.
  let scrape: { at: number; stats: Promise<SubscriberStats[]> } | undefined
  const stats = () => {
    if (!scrape || Date.now() - scrape.at > 1000) scrape = { at: Date.now(), stats: outboxStats(db) }
    return scrape.stats
  }
  const backlog = (name: string, help: string, pick: (s: SubscriberStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['subscriber'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        for (const s of await stats()) this.set({ subscriber: s.subscriber }, pick(s))
      },
    })
  backlog('vidan_outbox_pending', 'Outbox deliveries waiting, per subscriber', (s) => s.pending)
  backlog('vidan_outbox_oldest_pending_seconds', 'Age of the oldest waiting delivery, per subscriber', (s) => s.oldestPendingSeconds)
  backlog('vidan_outbox_delivery_failures', 'Failed delivery attempts so far, per subscriber', (s) => s.failures)
  backlog('vidan_outbox_dead_letters', 'Deliveries given up (dead letters) awaiting an administrator, per subscriber', (s) => s.dead)
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched'
    requests.inc({ method: req.method, route, status: String(reply.statusCode) })
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000)
  })
  return { contentType: registry.contentType, render: () => registry.metrics() }
}
