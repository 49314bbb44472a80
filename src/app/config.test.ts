import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, uploadSettings } from './config.js'

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

  it('points SMS at the simulator in demo mode; production sends none unless configured, and then needs key and brandname', () => {
    expect(loadConfig({}).sms).toEqual({ gatewayUrl: 'http://127.0.0.1:4300', apiKey: 'vidan-demo-sms-key', brandname: 'VIDAN', timeoutMs: 10_000 })
    const prod = { VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) }
    expect(loadConfig(prod).sms.gatewayUrl).toBeUndefined()
    expect(() => loadConfig({ ...prod, VIDAN_SMS_GATEWAY_URL: 'https://sms.example.vn' })).toThrow(/VIDAN_SMS_API_KEY/)
    expect(() => loadConfig({ VIDAN_SMS_BRANDNAME: 'MUCH-TOO-LONG-NAME' })).toThrow(/VIDAN_SMS_BRANDNAME/)
  })

  it('syncs with the portal simulator in demo mode; in production only when configured, with key and secret (B §12.2)', () => {
    expect(loadConfig({}).nationalPortal).toMatchObject({ url: 'http://127.0.0.1:4200', timeoutMs: 10_000 })
    const prod = { VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) }
    expect(loadConfig(prod).nationalPortal).toBeUndefined()
    expect(() => loadConfig({ ...prod, VIDAN_NATIONAL_PORTAL_URL: 'https://dvcqg.example/api' })).toThrow(/VIDAN_NATIONAL_PORTAL_KEY/)
    const on = loadConfig({ ...prod, VIDAN_NATIONAL_PORTAL_URL: 'https://dvcqg.example/api', VIDAN_NATIONAL_PORTAL_KEY: 'CAMAU', VIDAN_NATIONAL_PORTAL_SECRET: 's'.repeat(20) })
    expect(on.nationalPortal).toEqual({ url: 'https://dvcqg.example/api', key: 'CAMAU', secret: 's'.repeat(20), timeoutMs: 10_000 })
    expect(() => loadConfig({ VIDAN_NATIONAL_PORTAL_SECRET: 'short' })).toThrow(/VIDAN_NATIONAL_PORTAL_SECRET/)
  })

  it('demands a cookie secret in production', () => {
    expect(() => loadConfig({ VIDAN_MODE: 'production' })).toThrow(/VIDAN_COOKIE_SECRET/)
    expect(loadConfig({ VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) }).cookieSecret).toBe('x'.repeat(40))
  })

  it('points citizen login at the bundled demo provider in demo mode, with a secret drawn at start', () => {
    const a = loadConfig({ PORT: '4000' })
    expect(a.demoIdp).toBe(true)
    expect(a.citizenLogin).toMatchObject({ issuer: 'http://localhost:4000/idp-demo', clientId: 'vidan-demo', redirectUrl: 'http://localhost:4000/dang-nhap/cong-dan/callback' })
    expect(a.citizenLogin?.clientSecret).toMatch(/^[\w-]{32}$/)
    expect(loadConfig({}).citizenLogin?.clientSecret).not.toBe(a.citizenLogin?.clientSecret)
  })

  it('never serves the demo provider in production; a real provider is configured by variables, over HTTPS', () => {
    const prod = { VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) }
    expect(loadConfig(prod)).toMatchObject({ demoIdp: false, citizenLogin: undefined })
    const real = loadConfig({ ...prod, VIDAN_PUBLIC_URL: 'https://dichvucong.camau.gov.vn', VIDAN_OIDC_ISSUER: 'https://sso.vneid.example', VIDAN_OIDC_CLIENT_ID: 'camau', VIDAN_OIDC_CLIENT_SECRET: 's'.repeat(32) })
    expect(real).toMatchObject({ demoIdp: false, citizenLogin: { issuer: 'https://sso.vneid.example', clientId: 'camau', redirectUrl: 'https://dichvucong.camau.gov.vn/dang-nhap/cong-dan/callback' } })
    try {
      loadConfig({ ...prod, VIDAN_OIDC_ISSUER: 'http://sso.vneid.example' })
      expect.unreachable()
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['VIDAN_OIDC_CLIENT_ID', 'VIDAN_OIDC_CLIENT_SECRET', 'VIDAN_OIDC_ISSUER', 'VIDAN_OIDC_REDIRECT_URL'])
    }
    expect(() => loadConfig({ ...prod, VIDAN_OIDC_CLIENT_ID: 'camau' })).toThrow(/VIDAN_OIDC_ISSUER/)
  })

  it('turns the upload limits into bytes, with defaults and an optional clamd address', () => {
    expect(uploadSettings(loadConfig({}))).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxFilesPerDossier: 30, maxRequestBytes: 50 * 1024 * 1024, clamd: undefined })
    const c = uploadSettings(loadConfig({ VIDAN_UPLOAD_MAX_FILE_MB: '0.5', VIDAN_UPLOAD_MAX_FILES: '3', VIDAN_CLAMD_ADDRESS: 'clamav.local:3310' }))
    expect(c).toMatchObject({ maxFileBytes: 524288, maxFilesPerDossier: 3, clamd: { host: 'clamav.local', port: 3310 } })
    expect(() => loadConfig({ VIDAN_CLAMD_ADDRESS: 'tcp://x', VIDAN_UPLOAD_MAX_FILES: '0' })).toThrow(/VIDAN_CLAMD_ADDRESS[\s\S]*VIDAN_UPLOAD_MAX_FILES|VIDAN_UPLOAD_MAX_FILES[\s\S]*VIDAN_CLAMD_ADDRESS/)
  })

  it('points payments at the simulator in demo mode only, never with a secret from code in production', () => {
    expect(loadConfig({}).payment).toMatchObject({ gatewayUrl: 'http://127.0.0.1:4100', partnerCode: 'VIDAN-CAMAU-DEMO' })
    const prod = loadConfig({ VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40) })
    expect(prod.payment).toEqual({ gatewayUrl: undefined, partnerCode: '', secret: '' })
    expect(() => loadConfig({ VIDAN_MODE: 'production', VIDAN_COOKIE_SECRET: 'x'.repeat(40), VIDAN_PAYMENT_GATEWAY_URL: 'https://pay.example.vn' })).toThrow(/VIDAN_PAYMENT_SECRET/)
  })
})
