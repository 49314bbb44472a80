import { describe, expect, it } from 'vitest'
import { ConcurrentUpdateError, DomainError, NotFoundError } from '../shared/errors.js'
import { toApiError } from './errors.js'

describe('error mapping', () => {
  it.each([
    [new NotFoundError('ORG.UNIT_NOT_FOUND', 'x'), 404, 'ORG.UNIT_NOT_FOUND'],
    [new ConcurrentUpdateError('dossier', '1'), 409, 'CONCURRENT_UPDATE'],
    [new DomainError('locked', 'AUTH.ACCOUNT_LOCKED', 'x'), 423, 'AUTH.ACCOUNT_LOCKED'],
    [Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), 413, 'REQUEST.TOO_LARGE'],
    [Object.assign(new Error('x'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 }), 403, 'AUTH.CSRF'],
  ])('maps %s to %i %s', (e, status, code) => {
    expect(toApiError(e)).toMatchObject({ status, code })
  })

  it('never leaks an unknown error', () => {
    const r = toApiError(new TypeError('secret internals at /srv/x.ts:12'))
    expect(r).toEqual({ status: 500, code: 'INTERNAL', message: expect.not.stringContaining('secret') })
  })
})
