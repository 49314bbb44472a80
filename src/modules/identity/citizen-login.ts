import * as oidc from 'openid-client'
import { z } from 'zod'
import { DomainError } from '../../shared/errors.js'

/** Where citizens log in: the national identity provider (VNeID) in production, the bundled demo provider otherwise. */
export interface CitizenLoginSettings {
  /** Issuer identifier; its `/.well-known/openid-configuration` is read on first use. */
  issuer: string
  clientId: string
  clientSecret: string
  /** This application's callback, registered at the provider. */
  redirectUrl: string
  /** Space-separated scopes asked for. */
  scope: string
}

/** What the browser keeps (in a signed, short-lived cookie) between leaving for the provider and coming back. */
export const PendingLogin = z.object({ state: z.string().min(20).max(200), nonce: z.string().min(20).max(200), verifier: z.string().min(43).max(128), next: z.string().max(500), at: z.number() })
export type PendingLogin = z.infer<typeof PendingLogin>

/** How long a login may take at the provider before the pending state is refused. */
export const PENDING_LOGIN_SECONDS = 600

/** The provider refused or could not complete the login (bad state, replayed code, denied consent…). */
export class CitizenLoginRefusedError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('invalid', code, message, details)
  }
}

export class IdentityProviderUnavailableError extends DomainError {
  constructor() {
    super('unavailable', 'CITIZEN.IDP_UNAVAILABLE', 'Không kết nối được với hệ thống định danh điện tử. Vui lòng thử lại sau ít phút.')
  }
}

export interface RelyingParty {
  readonly issuer: string
  /** A fresh state, nonce and PKCE verifier, and the provider's authorization URL that carries them. */
  begin(next: string, now: Date): Promise<{ url: string; pending: PendingLogin }>
  /**
   * Validates the provider's answer through openid-client (state, issuer, PKCE at the token
   * endpoint, ID token signature, audience, nonce and times) and returns the claims of the ID
   * token and userinfo together.
   */
  complete(pending: PendingLogin, callbackQuery: string): Promise<Record<string, unknown>>
}

type Log = (fields: Record<string, unknown>, msg: string) => void

/**
 * The OpenID Connect relying party (authorization code flow with PKCE, S256). The provider's
 * metadata is discovered on first use and kept; a failed discovery is retried at the next login.
 */
export function createRelyingParty(settings: CitizenLoginSettings, log: Log = () => {}): RelyingParty {
  const insecure = new URL(settings.issuer).protocol === 'http:'
  let configuration: Promise<oidc.Configuration> | undefined
  const config = () =>
    (configuration ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        // Plain HTTP only for a provider on this machine or a test network; config.ts refuses it in production.
        execute: insecure ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((e: unknown) => {
        configuration = undefined
        log({ err: errorFacts(e) }, 'identity provider discovery failed')
        throw new IdentityProviderUnavailableError()
      }))

  return {
    issuer: settings.issuer,
    async begin(next, now) {
      const c = await config()
      const pending: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next, at: now.getTime() }
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        // Always ask the person to authenticate: a kiosk or a shared phone must never carry the
        // previous person's provider session into a new login here.
        prompt: 'login',
      })
      return { url: url.href, pending }
    },
    async complete(pending, callbackQuery) {
      const c = await config()
      const current = new URL(settings.redirectUrl)
      current.search = callbackQuery
      try {
        const tokens = await oidc.authorizationCodeGrant(c, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true })
        const idClaims = tokens.claims()
        if (!idClaims) throw new CitizenLoginRefusedError('CITIZEN.LOGIN_REFUSED', 'Hệ thống định danh không trả về thông tin xác thực.')
        const userinfo = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub)
        return { ...userinfo, ...idClaims }
      } catch (e) {
        throw translate(e, log)
      }
    },
  }
}

function errorFacts(e: unknown): Record<string, unknown> {
  // Codes and names only: messages may quote values received from outside.
  const x = e as { name?: unknown; code?: unknown; error?: unknown; cause?: { code?: unknown } }
  return { name: x?.name, code: x?.code, error: x?.error, cause: x?.cause?.code }
}

function translate(e: unknown, log: Log): DomainError {
  if (e instanceof DomainError) return e
  if (e instanceof oidc.AuthorizationResponseError) {
    log({ err: errorFacts(e) }, 'identity provider refused the login')
    if (e.error === 'access_denied') {
      return new CitizenLoginRefusedError('CITIZEN.CONSENT_DENIED', 'Bạn đã không đồng ý chia sẻ thông tin định danh với Vì Dân, nên chưa đăng nhập được.')
    }
    return new CitizenLoginRefusedError('CITIZEN.LOGIN_REFUSED', 'Hệ thống định danh đã từ chối yêu cầu đăng nhập. Vui lòng thử lại.', { error: e.error })
  }
  if (e instanceof oidc.ResponseBodyError) {
    // invalid_grant: the code was used already, expired, or the PKCE verifier does not match.
    log({ err: errorFacts(e) }, 'identity provider refused the code')
    return new CitizenLoginRefusedError('CITIZEN.LOGIN_REFUSED', 'Mã đăng nhập không còn hiệu lực (đã dùng hoặc hết hạn). Vui lòng đăng nhập lại.', { error: e.error })
  }
  if (e instanceof oidc.ClientError) {
    // A check failed on our side: state, issuer, signature, nonce, audience or times.
    log({ err: errorFacts(e) }, 'identity provider answer failed validation')
    return new CitizenLoginRefusedError('CITIZEN.LOGIN_INVALID', 'Phản hồi đăng nhập không hợp lệ hoặc đã bị thay đổi. Vui lòng đăng nhập lại.', { code: e.code })
  }
  log({ err: errorFacts(e) }, 'identity provider unreachable')
  return new IdentityProviderUnavailableError()
}
