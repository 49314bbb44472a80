import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Db } from '../shared/database.js'

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
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched'
    requests.inc({ method: req.method, route, status: String(reply.statusCode) })
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000)
  })
  return { contentType: registry.contentType, render: () => registry.metrics() }
}
