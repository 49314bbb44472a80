import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCompress from '@fastify/compress'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyMultipart from '@fastify/multipart'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyServerOptions, type onRequestAsyncHookHandler } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { h } from 'preact'
import { sql } from 'kysely'
import { z } from 'zod'
import type { Clock } from '../shared/clock.js'
import type { Db } from '../shared/database.js'
import { isLang, type Lang } from '../shared/i18n.js'
import type { Guards, VidanModule } from '../shared/module.js'
import '../shared/http.js'
import { discardUnreadMultipart, readMultipartFields } from '../shared/multipart.js'
import { Layout, renderDocument } from '../shared/ui/layout.js'
import { uploadSettings, type Config } from './config.js'
import { handleError } from './errors.js'
import { createMetrics } from './metrics.js'
import { renderApiDocs } from './api-docs.js'

export interface AppDeps {
  config: Config
  db: Db
  clock: Clock
  /** Loads the principal of the request from its session cookie (identity module). */
  authenticate: onRequestAsyncHookHandler
  guards: Guards
  modules: VidanModule[]
  logger?: FastifyServerOptions['logger']
}

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets')
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Builds the HTTP application without listening, so tests can `inject` into it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps
  const secure = config.VIDAN_MODE === 'production' && config.publicUrl.startsWith('https:')
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: config.VIDAN_MODE === 'production',
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(handleError)

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vì Dân API',
        version: '1',
        description:
          'API mở của Vì Dân. Lỗi luôn có dạng { "error": { "code", "message", "details" } }. ' +
          'Open API of Vì Dân; every error has the shape { "error": { "code", "message", "details" } }.',
      },
      servers: [{ url: '/' }],
    },
    transform: jsonSchemaTransform,
    hideUntagged: true,
  })

  // Pages, CSS and JSON go compressed (page budget: 60 KB transferred); PDFs are already compressed.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'], customTypes: /^(text\/|application\/json|image\/svg\+xml)/ })
  await app.register(fastifyCookie, { secret: config.cookieSecret })
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 })
  // File uploads, streamed: busboy cuts a file at the size limit and stops at the file count, so
  // nothing unbounded is buffered. Only routes with `config.multipart` accept it (see readMultipartFields).
  const uploads = uploadSettings(config)
  await app.register(fastifyMultipart, {
    // A file over the limit is cut and reported by the upload's reader, which goes on to check the others.
    throwFileSizeLimit: false,
    limits: { fileSize: uploads.maxFileBytes, files: uploads.maxFilesPerDossier, fields: 200, fieldSize: 256 * 1024, parts: 1000 },
  })
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true },
  })
  await app.register(fastifyRateLimit, { global: false })
  await app.register(fastifyStatic, { root: ASSETS, prefix: '/assets/', maxAge: '1d', index: false })

  // Every unsafe request carries a CSRF token unless its route is a signed callback from outside.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!methods.some((m) => UNSAFE.has(m)) || route.config?.csrf === false) return
    const existing = route.preValidation ? (Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]) : []
    route.preValidation = [app.csrfProtection.bind(app), ...existing]
  })

  app.decorateRequest('lang', 'vi')
  app.decorateRequest('principal', undefined)
  // One token per response: generating twice before the secret cookie exists would mint two
  // secrets, and the form's token would not match the cookie the browser keeps.
  const tokens = new WeakMap<object, string>()
  app.decorateReply('csrfToken', function () {
    let token = tokens.get(this)
    if (!token) tokens.set(this, (token = this.generateCsrf()))
    return token
  })
  app.decorateReply('page', function (opts, body) {
    const req = this.request
    const html = renderDocument(
      h(Layout, {
        title: opts.title,
        description: opts.description,
        lang: req.lang,
        path: req.url.split('?')[0] ?? '/',
        principal: req.principal,
        csrfToken: this.csrfToken(),
        children: body,
      }),
    )
    return this.status(opts.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html)
  })

  app.addHook('onRequest', async (req) => {
    const fromCookie = req.cookies['lang']
    req.lang = isLang(fromCookie) ? fromCookie : 'vi'
  })
  app.addHook('onRequest', deps.authenticate)
  // Runs before the routes' own preValidation (the CSRF check), so a form's `_csrf` field is seen.
  app.addHook('preValidation', readMultipartFields)
  app.addHook('onResponse', discardUnreadMultipart)
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'same-origin')
    reply.header('x-frame-options', 'DENY')
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
    )
    return payload
  })

  const metrics = createMetrics(app, deps.db)

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.db)
      return { status: 'ready', database: 'ok' }
    } catch {
      return reply.status(503).send({ status: 'not_ready', database: 'unreachable' })
    }
  })
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.contentType)
    return metrics.render()
  })

  app.get(
    '/api/v1/csrf-token',
    {
      schema: {
        tags: ['session'],
        summary: 'A CSRF token for unsafe calls made with a session cookie (send it as x-csrf-token)',
        response: { 200: z.object({ token: z.string() }) },
      },
    },
    async (_req, reply) => ({ token: reply.csrfToken() }),
  )

  app.get(
    '/lang',
    { schema: { hide: true, querystring: z.object({ to: z.string().optional(), back: z.string().optional() }) } },
    async (req, reply) => {
      const to: Lang = isLang(req.query.to) ? req.query.to : 'vi'
      const back = req.query.back && /^\/(?!\/)/.test(req.query.back) ? req.query.back : '/'
      reply.setCookie('lang', to, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600, secure })
      return reply.redirect(back, 303)
    },
  )

  const moduleDeps = {
    db: deps.db,
    clock: deps.clock,
    guards: deps.guards,
    provinceCode: config.VIDAN_PROVINCE_CODE,
    mode: config.VIDAN_MODE,
    publicUrl: config.publicUrl,
    uploads,
  }
  for (const m of deps.modules) await m.register(app, moduleDeps)

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  app.get('/api/docs', { schema: { hide: true } }, async (req, reply) =>
    reply.page({ title: 'API' }, renderApiDocs(app.swagger() as unknown as Parameters<typeof renderApiDocs>[0], req.lang)),
  )

  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Không có đường dẫn API này.' } })
    }
    return handleError(Object.assign(new Error('not found'), { statusCode: 404 }), req, reply)
  })

  return app
}
