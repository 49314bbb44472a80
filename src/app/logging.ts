import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'

/**
 * The server's logger: pino JSON at the configured level, the route pattern instead of the raw
 * URL (query strings can carry personal data), cookies and authorization redacted, and the
 * fields of a database error that echo row values (`detail`, `where`, `parameters`: a unique
 * violation prints the identity number it met) removed. Personal data never reaches a log line.
 */
export function serverLoggerOptions(config: Pick<Config, 'LOG_LEVEL'>): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: config.LOG_LEVEL,
    serializers: {
      req: (req: { id: string; method: string; routeOptions?: { url?: string } }) => ({ id: req.id, method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'err.detail', 'err.where', 'err.parameters', 'err.cause.detail', 'err.cause.parameters'], remove: true },
  }
}
