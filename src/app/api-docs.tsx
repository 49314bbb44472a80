import { tr, type Lang } from '../shared/i18n.js'

interface OpenApiDoc {
  info: { title: string; description?: string }
  paths: Record<string, Record<string, { summary?: string; description?: string; tags?: string[]; parameters?: { name: string; in: string; required?: boolean; description?: string }[] }>>
}

/** A readable, script-free page over the generated OpenAPI document. */
export function renderApiDocs(doc: OpenApiDoc, lang: Lang) {
  const groups = new Map<string, { method: string; path: string; summary: string; params: string[] }[]>()
  for (const [p, ops] of Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other'
      const list = groups.get(tag) ?? []
      list.push({
        method: method.toUpperCase(),
        path: p,
        summary: op.summary ?? op.description ?? '',
        params: (op.parameters ?? []).map((x) => `${x.name}${x.required ? '*' : ''} (${x.in})`),
      })
      groups.set(tag, list)
    }
  }
  return (
    <article>
      <h1>{tr(lang, 'API mở của Vì Dân', 'Vì Dân open API')}</h1>
      <p>{doc.info.description}</p>
      <p>
        {tr(lang, 'Tài liệu máy đọc được (OpenAPI 3.1): ', 'Machine-readable document (OpenAPI 3.1): ')}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
      </p>
      {[...groups.entries()].map(([tag, ops]) => (
        <section>
          <h2>{tag}</h2>
          <ul class="api-ops">
            {ops.map((o) => (
              <li>
                <code>
                  {o.method} {o.path}
                </code>
                {o.summary ? ` — ${o.summary}` : ''}
                {o.params.length ? (
                  <div class="muted">
                    {tr(lang, 'Tham số', 'Parameters')}: {o.params.join(', ')}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </article>
  )
}
