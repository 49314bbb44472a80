/** A browser over real HTTP (fetch): a cookie jar that honours Path, redirects followed by hand. */
export interface HttpPage {
  url: string
  status: number
  location: string | undefined
  body: string
}

interface StoredCookie {
  name: string
  value: string
  path: string
  host: string
}

export class HttpBrowser {
  private jar: StoredCookie[] = []

  /** The cookies a request to `url` would carry. */
  cookiesFor(url: string): Map<string, string> {
    const u = new URL(url)
    const out = new Map<string, string>()
    // Longer paths first, as browsers send them.
    for (const c of [...this.jar].sort((a, b) => b.path.length - a.path.length)) {
      if (c.host === u.host && (u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)) && !out.has(c.name)) out.set(c.name, c.value)
    }
    return out
  }

  cookie(name: string): StoredCookie | undefined {
    return this.jar.find((c) => c.name === name)
  }

  setCookie(c: StoredCookie): void {
    this.jar = this.jar.filter((x) => !(x.name === c.name && x.path === c.path && x.host === c.host))
    this.jar.push(c)
  }

  private absorb(url: string, res: Response) {
    const host = new URL(url).host
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim())
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) || '/'
      const expired = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()))
      this.jar = this.jar.filter((x) => !(x.name === name && x.path === path && x.host === host))
      if (!expired && value !== '') this.jar.push({ name, value, path, host })
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<HttpPage> {
    const headers: Record<string, string> = {}
    const cookies = [...this.cookiesFor(url)].map(([k, v]) => `${k}=${v}`).join('; ')
    if (cookies) headers['cookie'] = cookies
    let body: string | undefined
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(init.form).toString()
    }
    const res = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' })
    this.absorb(url, res)
    const location = res.headers.get('location') ?? undefined
    return { url, status: res.status, location: location ? new URL(location, url).href : undefined, body: await res.text() }
  }

  /** Follows redirects (GET) until a page that is not one, or until `stopAt` says so for the next URL. */
  async follow(first: HttpPage | string, stopAt: (url: URL) => boolean = () => false, maxHops = 15): Promise<HttpPage> {
    let page = typeof first === 'string' ? await this.request(first) : first
    for (let hop = 0; page.location && page.status >= 300 && page.status < 400; hop++) {
      if (hop >= maxHops) throw new Error(`too many redirects from ${page.url}`)
      if (stopAt(new URL(page.location))) return page
      page = await this.request(page.location)
    }
    return page
  }
}
