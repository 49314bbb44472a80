import type { ComponentChildren } from 'preact'
import type { Principal } from './auth.js'
import type { Lang } from './i18n.js'

/** Navigation entry a page can highlight. */
export interface PageOptions {
  title: string
  status?: number
  /** Description for the <meta name="description">. */
  description?: string
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang
    principal: Principal | undefined
  }
  interface FastifyReply {
    /** Renders `body` inside the site layout and sends it as HTML. */
    page(options: PageOptions, body: ComponentChildren): FastifyReply
    /** A fresh CSRF token for a form on this page. */
    csrfToken(): string
  }
  interface FastifyContextConfig {
    /** Set false on routes called by outside systems (signed callbacks) that cannot carry a CSRF token. */
    csrf?: boolean
    /**
     * The route accepts multipart/form-data (file uploads). The text fields sent before the first
     * file become `request.body` (so validation and the CSRF check see them); the files are left
     * unread for the handler (`multipartFiles`). Other routes answer 415 to a multipart request.
     */
    multipart?: boolean
  }
}

export {}
