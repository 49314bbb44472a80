import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('configuration', () => {
  it('runs with no configuration at all: embedded database, demo mode, port 3000 on loopback', () => {
    const c = loadConfig({})
    expect(c.PORT).toBe(3000)
    expect(c.HOST).toBe('127.0.0.1')
    expect(c.DATABASE_URL).toBeUndefined()
    expect(c.VIDAN_MODE).toBe('demo')
    expect(c.dataDir.endsWith('.vidan/data')).toBe(true)
  })

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: '99999', DATABASE_URL: 'not a url', VIDAN_MODE: 'test' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      expect((e as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'PORT', 'VIDAN_MODE'])
    }
  })

  it('demands a cookie secret in production', () => {
    expect(() => loadConfig({ VIDAN_MODE: 'production' })).toThrow(/VIDAN_COOKIE_SECRET/)
    expect(loadConfig({ VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) }).cookieSecret).toBe('x'.repeat(40))
  })

  it('points payments at the simulator in demo mode only, never with a secret from code in production', () => {
    expect(loadConfig({}).payment).toMatchObject({ gatewayUrl: 'http://127.0.0.1:4100', partnerCode: 'VIDAN-CAMAU-DEMO' })
    const prod = loadConfig({ VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) })
    expect(prod.payment).toEqual({ gatewayUrl: undefined, partnerCode: '', secret: '' })
    expect(() => loadConfig({ VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40), VIDAN_PAYMENT_GATEWAY_URL: 'https://pay.example.vn' })).toThrow(/VIDAN_PAYMENT_SECRET/)
  })
})
