import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'

// Multipart requests are read as a stream, in order. The text fields that come before the first
// file are read before validation, so the CSRF check and the route's body schema see them (a form
// puts its hidden `_csrf` field first); the files themselves stay in the stream until the handler
// reads them, one at a time, within the limits @fastify/multipart was registered with.

interface MultipartState {
  parts: AsyncIterator<Multipart>
  pending: MultipartFile | undefined
  fields: Record<string, string>
  done: boolean
}

const states = new WeakMap<FastifyRequest, MultipartState>()

/** An HTTP-shaped error the app's error handler maps by status (never a 500 for a bad upload). */
class MultipartRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'MultipartRequestError'
  }
}

/** Errors of the parser itself (a broken body) become 400s; limit errors keep their status. */
function asRequestError(e: unknown): unknown {
  if (e && typeof e === 'object' && 'statusCode' in e) return e
  return new MultipartRequestError(400, 'FST_MULTIPART_MALFORMED', 'malformed multipart body')
}

function addField(fields: Record<string, string>, part: MultipartValue) {
  if (part.valueTruncated || part.fieldnameTruncated) throw new MultipartRequestError(413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'multipart field too large')
  fields[part.fieldname] = typeof part.value === 'string' ? part.value : JSON.stringify(part.value)
}

async function next(s: MultipartState): Promise<Multipart | undefined> {
  if (s.done) return undefined
  try {
    const r = await s.parts.next()
    if (r.done) s.done = true
    return r.done ? undefined : r.value
  } catch (e) {
    s.done = true
    throw asRequestError(e)
  }
}

/**
 * preValidation hook (registered once by the app): on a route with `config.multipart`, reads the
 * text fields up to the first file into `request.body`. A multipart request to any other route
 * is refused with 415, as it was before multipart support existed.
 */
export async function readMultipartFields(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return
  if (!req.routeOptions.config.multipart) throw new MultipartRequestError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'multipart not accepted here')
  const s: MultipartState = { parts: req.parts()[Symbol.asyncIterator](), pending: undefined, fields: {}, done: false }
  states.set(req, s)
  for (let part = await next(s); part; part = await next(s)) {
    if (part.type === 'file') {
      s.pending = part
      break
    }
    addField(s.fields, part)
  }
  req.body = s.fields
}

/**
 * The files of a multipart request, in the order sent. Each file's stream must be read to its end
 * (or destroyed) before the next one comes. Text fields sent after a file are added to
 * `multipartFields(request)` as they pass.
 */
export async function* multipartFiles(req: FastifyRequest): AsyncGenerator<MultipartFile> {
  const s = states.get(req)
  if (!s) return
  if (s.pending) {
    const first = s.pending
    s.pending = undefined
    yield first
  }
  for (let part = await next(s); part; part = await next(s)) {
    if (part.type === 'file') yield part
    else addField(s.fields, part)
  }
}

/** Every text field of a multipart request read so far (all of them once `multipartFiles` is exhausted). */
export function multipartFields(req: FastifyRequest): Record<string, string> {
  return states.get(req)?.fields ?? {}
}

/**
 * onResponse hook: a request answered before its upload was read (a refused CSRF token, an early
 * error) has the rest of its body read and discarded, so the client's upload completes and it
 * sees the answer instead of a reset connection. Nothing is kept in memory.
 */
export async function discardUnreadMultipart(req: FastifyRequest): Promise<void> {
  const s = states.get(req)
  if (!s || (s.done && !s.pending)) return
  states.delete(req)
  void (async () => {
    try {
      s.pending?.file.resume()
      for (let part = await next(s); part; part = await next(s)) if (part.type === 'file') part.file.resume()
    } catch {
      // the client went away or sent garbage: nothing left to answer
    }
    req.raw.resume()
  })()
}
