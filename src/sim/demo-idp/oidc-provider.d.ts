// The parts of oidc-provider 9 the demo identity provider uses. The package ships no types and
// @types/oidc-provider is not installed; these follow lib/provider.js and lib/helpers/defaults.js.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  /** The Koa context oidc-provider hands to configuration callbacks (only what we touch). */
  export interface KoaContextLike {
    type: string
    body: unknown
    status: number
  }

  export interface InteractionDetails {
    uid: string
    prompt: {
      name: 'login' | 'consent' | (string & {})
      reasons: string[]
      details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> }
    }
    params: Record<string, unknown> & { client_id?: string; scope?: string }
    session?: { accountId?: string; uid?: string }
    grantId?: string
    returnTo: string
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean }
    consent?: { grantId: string }
    error?: string
    error_description?: string
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(indicator: string, scope: string): void
    save(): Promise<string>
  }

  export interface GrantClass {
    new (init: { accountId: string; clientId: string }): GrantInstance
    find(id: string): Promise<GrantInstance | undefined>
  }

  export interface ClientMetadata {
    client_id: string
    client_secret?: string
    client_name?: string
    redirect_uris: string[]
    grant_types?: string[]
    response_types?: string[]
    token_endpoint_auth_method?: string
    id_token_signed_response_alg?: string
  }

  export interface Account {
    accountId: string
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>
  }

  export type Configuration = {
    adapter?: unknown
    clients?: ClientMetadata[]
    jwks?: { keys: Record<string, unknown>[] }
    cookies?: { keys?: string[]; names?: Record<string, string>; long?: Record<string, unknown>; short?: Record<string, unknown> }
    claims?: Record<string, string[] | null>
    scopes?: string[]
    acrValues?: string[]
    clientAuthMethods?: string[]
    responseTypes?: string[]
    pkce?: { required: (ctx: unknown, client: unknown) => boolean }
    features?: Record<string, Record<string, unknown>>
    findAccount?: (ctx: unknown, sub: string, token?: unknown) => Promise<Account | undefined>
    interactions?: { url: (ctx: unknown, interaction: { uid: string }) => Promise<string> | string }
    ttl?: Record<string, number | ((ctx: unknown, token: unknown, client?: unknown) => number)>
    clientBasedCORS?: (ctx: unknown, origin: string, client: unknown) => boolean
    renderError?: (ctx: KoaContextLike, out: Record<string, string>, error: Error) => Promise<void> | void
  } & Record<string, unknown>

  export class Provider {
    constructor(issuer: string, configuration?: Configuration)
    readonly issuer: string
    readonly Grant: GrantClass
    readonly Client: { find(id: string): Promise<{ clientId: string; clientName?: string } | undefined> }
    /** A Node request listener (Koa's callback) for mounting under another server. */
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, opts?: { mergeWithLastSubmission?: boolean }): Promise<string>
    on(event: string, listener: (...args: unknown[]) => void): this
  }
  export default Provider
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** A per-instance in-memory store (the package's own; passing it explicitly avoids its "development-only" warning). */
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown
}
