/** What kind of failure a domain error is; the HTTP layer maps kinds to status codes. */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'locked'
  | 'rate_limited'
  | 'unavailable'

/**
 * Base of every error the domain throws on purpose: a stable code (`ORG.UNIT_NOT_FOUND`),
 * a Vietnamese message fit to show a citizen, and optional structured details.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('not_found', code, message, details)
  }
}

export class ValidationError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('invalid', code, message, details)
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('conflict', code, message, details)
  }
}

/** A row changed under us: the optimistic version check failed. */
export class ConcurrentUpdateError extends ConflictError {
  constructor(entity: string, id: string | number) {
    super('CONCURRENT_UPDATE', `Dữ liệu đã được người khác thay đổi, vui lòng tải lại (${entity}).`, { entity, id })
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Bạn không có quyền thực hiện thao tác này.', code = 'AUTH.FORBIDDEN') {
    super('forbidden', code, message)
  }
}

/** The HTTP status of each kind of domain error (API answers and pages alike). */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  rate_limited: 429,
  unavailable: 503,
}

export const httpStatusOf = (e: DomainError): number => HTTP_STATUS[e.kind]

/** The problems per form field a domain error carries in `details.fields` (ValidationError's convention), if any. */
export function fieldErrorsOf(e: unknown): Record<string, string[] | undefined> | undefined {
  if (e instanceof DomainError && e.details && typeof e.details === 'object' && 'fields' in e.details) return (e.details as { fields: Record<string, string[] | undefined> }).fields
  return undefined
}
