import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { parseIdentityNumber } from '../../modules/identity/index.js'
import { DEMO_CITIZENS } from './demo-citizens.js'
import { DemoIdpRefusedError, registerDemoIdp } from './demo-idp.js'

describe('demo citizens of the demo identity provider', () => {
  it.each(DEMO_CITIZENS.map((c) => [c.name, c] as const))('%s has a valid identity number matching birth date and gender (DOMAIN A10)', (_name, c) => {
    const r = parseIdentityNumber(c.identityNumber, { today: new Date('2026-11-26T00:00:00Z') })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.info.birthYear).toBe(Number(c.birthdate.slice(0, 4)))
    expect(r.info.gender).toBe(c.gender)
    expect(['Cà Mau', 'Bạc Liêu']).toContain(r.info.provinceName)
  })

  it('has unique numbers and subjects, a level-1 account and a business representative', () => {
    expect(new Set(DEMO_CITIZENS.map((c) => c.identityNumber)).size).toBe(DEMO_CITIZENS.length)
    expect(new Set(DEMO_CITIZENS.map((c) => c.sub)).size).toBe(DEMO_CITIZENS.length)
    expect(DEMO_CITIZENS.some((c) => c.level === 1)).toBe(true)
    expect(DEMO_CITIZENS.some((c) => c.business)).toBe(true)
  })
})

describe('demo identity provider in production mode', () => {
  it('refuses to start', async () => {
    const app = Fastify()
    await expect(
      registerDemoIdp(app, { issuer: 'https://vidan.example/idp-demo', path: '/idp-demo', mode: 'production', client: { clientId: 'x', clientSecret: 'y'.repeat(20), redirectUrl: 'https://vidan.example/cb' } }),
    ).rejects.toBeInstanceOf(DemoIdpRefusedError)
    await app.close()
  })
})
