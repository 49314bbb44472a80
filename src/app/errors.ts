import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { h } from 'preact'
import { DomainError, HTTP_STATUS } from '../shared/errors.js'
import { tr } from '../shared/i18n.js'


export interface ApiError {
  status: number
  code: string
  message: string
  details?: unknown
}

interface ZodishIssue {
  instancePath?: string
  message?: string
  params?: { issue?: { path?: unknown[]; message?: string; code?: string } }
}

function validationDetails(e: FastifyError) {
  return (e.validation ?? []).map((v) => {
    const issue = (v as ZodishIssue).params?.issue
    const where = issue?.path?.length ? issue.path.join('.') : (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
    return { path: `${e.validationContext ?? 'request'}${where ? `.${where}` : ''}`, message: issue?.message ?? v.message ?? 'invalid', code: issue?.code }
  })
}

/** Maps any thrown error to the one error shape. Unknown errors become a generic 500. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof DomainError) return { status: HTTP_STATUS[e.kind], code: e.code, message: e.message, details: e.details }
  const fe = e as FastifyError
  if (fe?.validation) {
    return { status: 400, code: 'VALIDATION.FAILED', message: 'Dữ liệu gửi lên không hợp lệ.', details: validationDetails(fe) }
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'REQUEST.TOO_LARGE', message: 'Dữ liệu gửi lên quá lớn.' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'Kiểu dữ liệu không được hỗ trợ.' }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'REQUEST.MALFORMED', message: 'Nội dung JSON không đọc được.' }
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return { status: 403, code: 'AUTH.CSRF', message: 'Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.' }
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return { status: 400, code: 'REQUEST.BAD_URL', message: 'Địa chỉ không hợp lệ.' }
  }
  if (fe?.statusCode === 404) return { status: 404, code: 'NOT_FOUND', message: 'Không tìm thấy trang bạn yêu cầu.' }
  if (fe?.statusCode === 429) return { status: 429, code: 'REQUEST.RATE_LIMITED', message: 'Quá nhiều yêu cầu, vui lòng thử lại sau ít phút.' }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: 'REQUEST.INVALID', message: 'Yêu cầu không hợp lệ.' }
  }
  return { status: 500, code: 'INTERNAL', message: 'Đã có lỗi ở máy chủ. Vui lòng thử lại sau.' }
}

export function wantsHtml(req: FastifyRequest): boolean {
  return !req.url.startsWith('/api/') && !req.url.startsWith('/metrics')
}

/** The one error handler: coded JSON for the API, a Vietnamese page for browsers. */
export function handleError(e: unknown, req: FastifyRequest, reply: FastifyReply) {
  const err = toApiError(e)
  if (err.status >= 500) req.log.error({ err: e, reqId: req.id }, 'unhandled error')
  else req.log.info({ code: err.code, status: err.status }, 'request refused')
  if (err.status === 401 && wantsHtml(req)) {
    return reply.redirect(`/staff/login?next=${encodeURIComponent(req.url)}`, 303)
  }
  if (!wantsHtml(req)) {
    const body: { error: { code: string; message: string; details?: unknown; requestId?: string } } = {
      error: { code: err.code, message: err.message },
    }
    if (err.details !== undefined) body.error.details = err.details
    if (err.status >= 500) body.error.requestId = String(req.id)
    return reply.status(err.status).type('application/json; charset=utf-8').send(body)
  }
  const lang = req.lang ?? 'vi'
  const heading = err.status === 404 ? tr(lang, 'Không tìm thấy trang', 'Page not found') : tr(lang, 'Không thực hiện được', 'Could not be done')
  return reply.page(
    { title: heading, status: err.status },
    h('section', { class: 'error' }, [
      h('h1', null, heading),
      h('p', null, err.message),
      err.status >= 500 ? h('p', null, `${tr(lang, 'Mã yêu cầu', 'Request id')}: ${String(req.id)}`) : null,
      h('p', null, h('a', { href: '/' }, tr(lang, 'Về trang chủ', 'Back to the home page'))),
    ]),
  )
}
