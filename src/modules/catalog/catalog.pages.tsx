import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { channelLabel, facetLabel, feeText, levelLabel, onlineLabel, RULE_LABELS, subjectLabel, timeText } from './catalog.labels.js'
import type { FacetValue, OnlineLevel, ProcedureDto, ProcedureSummaryDto, SearchQuery, SearchResultDto } from './catalog.schemas.js'

type T = (vi: string, en: string) => string
const tt = (lang: Lang): T => (vi, en) => tr(lang, vi, en)

/** Filters a page can carry in its query string, in a stable order. */
const FILTER_KEYS = ['q', 'field', 'level', 'agency', 'subject', 'online'] as const
type FilterKey = (typeof FILTER_KEYS)[number]

/** `/thu-tuc?…` with the given filters; undefined values are dropped. */
export function catalogHref(params: Partial<Record<FilterKey | 'page', string | number | undefined>>): string {
  const qs = new URLSearchParams()
  for (const k of [...FILTER_KEYS, 'page'] as const) {
    const v = params[k]
    if (v !== undefined && v !== '' && !(k === 'page' && Number(v) === 1)) qs.set(k, String(v))
  }
  const s = qs.toString()
  return s ? `/thu-tuc?${s}` : '/thu-tuc'
}

function currentFilters(q: SearchQuery): Partial<Record<FilterKey, string>> {
  return { q: q.q, field: q.field, level: q.level, agency: q.agency, subject: q.subject, online: q.online }
}

export const agencyHref = (ref: string) => `/co-quan/${encodeURIComponent(ref)}`

function OnlineBadge({ level, lang }: { level: OnlineLevel | null; lang: Lang }) {
  if (!level) return null
  return <span class={`badge badge-${level}`}>{onlineLabel(level, lang)}</span>
}

function SearchForm({ lang, q, id = 'q' }: { lang: Lang; q?: string | undefined; id?: string }) {
  const t = tt(lang)
  return (
    <form method="get" action="/thu-tuc" role="search" class="search">
      <label for={id}>{t('Tên thủ tục hoặc từ khóa', 'Procedure name or keyword')}</label>
      <div class="search-row">
        <input id={id} name="q" type="search" maxLength={200} value={q ?? ''} placeholder={t('ví dụ: đăng ký khai sinh', 'e.g. birth registration')} />
        <button type="submit">{t('Tìm kiếm', 'Search')}</button>
      </div>
    </form>
  )
}

/** Catalogue home: the search form and the fields of the province's procedures. */
export function CatalogHomePage(p: { lang: Lang; fields: { field: string; n: number }[]; total: number }) {
  const t = tt(p.lang)
  return (
    <>
      <h1>{t('Thủ tục hành chính', 'Administrative procedures')}</h1>
      <p>
        {t(
          `${p.total} thủ tục hành chính được giải quyết tại tỉnh Cà Mau: xem cần chuẩn bị giấy tờ gì, mất bao lâu, phí bao nhiêu và nộp ở đâu.`,
          `${p.total} administrative procedures handled in Cà Mau province: what to bring, how long it takes, what it costs and where to submit.`,
        )}
      </p>
      <SearchForm lang={p.lang} />
      <p>
        <a href={catalogHref({ online: 'full' })}>{t('Thủ tục nộp trực tuyến toàn trình', 'Procedures fully online')}</a>
        {' · '}
        <a href={catalogHref({ level: 'commune' })}>{t('Thủ tục cấp xã', 'Commune-level procedures')}</a>
        {' · '}
        <a href={catalogHref({ level: 'province' })}>{t('Thủ tục cấp tỉnh', 'Province-level procedures')}</a>
      </p>
      <section aria-labelledby="h-fields">
        <h2 id="h-fields">{t('Lĩnh vực', 'Fields')}</h2>
        <ul class="cols">
          {p.fields.map((f) => (
            <li>
              <a href={catalogHref({ field: f.field })}>{f.field}</a> <span class="muted">({f.n})</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

const FACET_TITLES: Record<keyof SearchResultDto['facets'], [string, string]> = {
  online: ['Mức độ trực tuyến', 'Online level'],
  level: ['Cấp thực hiện', 'Level'],
  subject: ['Đối tượng', 'Who applies'],
  field: ['Lĩnh vực', 'Field'],
  agency: ['Cơ quan', 'Agency'],
}
const FACET_ORDER = ['online', 'level', 'subject', 'field', 'agency'] as const

function FacetGroup(p: { lang: Lang; dim: (typeof FACET_ORDER)[number]; values: FacetValue[]; query: SearchQuery }) {
  const t = tt(p.lang)
  const filters = currentFilters(p.query)
  const active = filters[p.dim]
  if (!p.values.length && !active) return null
  const shown = p.values.slice(0, 12)
  const id = `f-${p.dim}`
  return (
    <section aria-labelledby={id}>
      <h2 id={id} class="facet-title">
        {t(...FACET_TITLES[p.dim])}
      </h2>
      <ul class="facets">
        {active ? (
          <li>
            <a href={catalogHref({ ...filters, [p.dim]: undefined })}>{t('Bỏ lọc', 'Clear')}</a>
          </li>
        ) : null}
        {shown.map((v) => {
          const on = active === v.value
          const label = p.dim === 'agency' ? v.label : facetLabel(p.dim, v.value, p.lang)
          return (
            <li>
              <a href={catalogHref({ ...filters, [p.dim]: on ? undefined : v.value })} aria-current={on ? 'true' : undefined}>
                {label}
              </a>{' '}
              <span class="muted">({v.count})</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function Pager(p: { lang: Lang; query: SearchQuery; total: number }) {
  const t = tt(p.lang)
  const pages = Math.ceil(p.total / p.query.pageSize)
  if (pages <= 1) return null
  const cur = p.query.page
  const around = [...new Set([1, cur - 1, cur, cur + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const filters = currentFilters(p.query)
  return (
    <nav aria-label={t('Phân trang', 'Pages')} class="pager">
      <ul>
        {around.map((n) => (
          <li>
            <a href={catalogHref({ ...filters, page: n })} aria-current={n === cur ? 'page' : undefined}>
              {t(`Trang ${n}`, `Page ${n}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

function ResultItem({ p, lang }: { p: ProcedureSummaryDto; lang: Lang }) {
  return (
    <li>
      <a href={`/thu-tuc/${p.code}`}>{p.name}</a>
      <div class="muted">
        {p.code} · {p.field} · {p.levels.map((l) => levelLabel(l, lang)).join(', ')} <OnlineBadge level={p.onlineLevel} lang={lang} />
      </div>
    </li>
  )
}

/** Search results with filters as links (usable without JavaScript). */
export function CatalogResultsPage(p: { lang: Lang; query: SearchQuery; result: SearchResultDto }) {
  const t = tt(p.lang)
  const { query, result } = p
  const what = query.q ? t(`cho “${query.q}”`, `for “${query.q}”`) : ''
  return (
    <>
      <h1>{t('Tìm thủ tục hành chính', 'Find a procedure')}</h1>
      <SearchForm lang={p.lang} q={query.q} />
      <p role="status">
        <strong>{t(`${result.total} thủ tục`, `${result.total} procedures`)}</strong> {what}
        {query.field || query.level || query.agency || query.subject || query.online ? (
          <>
            {' '}
            · <a href={catalogHref({ q: query.q })}>{t('Bỏ tất cả bộ lọc', 'Clear all filters')}</a>
          </>
        ) : null}
      </p>
      <div class="catalog">
        <nav aria-label={t('Lọc kết quả', 'Filter results')} class="filters">
          {FACET_ORDER.map((d) => (
            <FacetGroup lang={p.lang} dim={d} values={result.facets[d]} query={query} />
          ))}
        </nav>
        <div>
          {result.items.length ? (
            <ol class="results" start={(query.page - 1) * query.pageSize + 1}>
              {result.items.map((i) => (
                <ResultItem p={i} lang={p.lang} />
              ))}
            </ol>
          ) : (
            <p>
              {t(
                'Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa ngắn hơn, ví dụ “khai sinh”, “giấy phép xây dựng”, hoặc bỏ bớt bộ lọc.',
                'No procedure found. Try a shorter keyword, or remove a filter.',
              )}
            </p>
          )}
          <Pager lang={p.lang} query={query} total={result.total} />
        </div>
      </div>
    </>
  )
}

/** The page of one agency: the procedures it decides or receives. */
export function AgencyPage(p: { lang: Lang; name: string; code: string | null; isRule: boolean; items: ProcedureSummaryDto[] }) {
  const t = tt(p.lang)
  const byField = new Map<string, ProcedureSummaryDto[]>()
  for (const i of p.items) byField.set(i.field, [...(byField.get(i.field) ?? []), i])
  return (
    <>
      <h1>{p.name}</h1>
      {p.code ? (
        <p class="muted">
          {t('Mã định danh', 'Agency code')}: {p.code}
        </p>
      ) : null}
      {p.isRule ? <p>{t('Áp dụng cho mọi xã, phường của tỉnh: người dân nộp tại xã, phường nơi mình cư trú.', "Applies to every commune: apply at your commune's office.")}</p> : null}
      <p>
        {t(`${p.items.length} thủ tục do cơ quan giải quyết hoặc tiếp nhận.`, `${p.items.length} procedures decided or received by this agency.`)}{' '}
        <a href="/thu-tuc">{t('Xem toàn bộ danh mục', 'See the whole catalogue')}</a>
      </p>
      {[...byField].map(([field, items], k) => (
        <section aria-labelledby={`fld-${k}`}>
          <h2 id={`fld-${k}`}>{field}</h2>
          <ul class="results">
            {items.map((i) => (
              <ResultItem p={i} lang={p.lang} />
            ))}
          </ul>
        </section>
      ))}
    </>
  )
}

// ---- the procedure page ----------------------------------------------------------------------

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split('\n').map((l) => (
        <p>{l}</p>
      ))}
    </>
  )
}

function AgencyList({ items, lang }: { items: ProcedureDto['agencies']; lang: Lang }) {
  if (!items.length) return <>{tr(lang, 'Chưa công bố', 'Not published yet')}</>
  return (
    <ul class="plain">
      {items.map((a) => (
        <li>
          <a href={agencyHref(a.ref)}>{RULE_LABELS[a.ref] ? (lang === 'en' ? RULE_LABELS[a.ref]?.en : RULE_LABELS[a.ref]?.vi) : a.name}</a>
        </li>
      ))}
    </ul>
  )
}

function OnlineBox({ p, lang, nationalUrl }: { p: ProcedureDto; lang: Lang; nationalUrl: string | null }) {
  const t = tt(lang)
  if (p.onlineLevel !== 'full' && p.onlineLevel !== 'partial') {
    return (
      <div class="card online-box">
        <p>
          <strong>{t('Nộp hồ sơ', 'How to submit')}:</strong>{' '}
          {t('trực tiếp tại nơi tiếp nhận hoặc qua dịch vụ bưu chính (thủ tục không cung cấp trực tuyến).', 'in person or by post (this procedure is not offered online).')}
        </p>
      </div>
    )
  }
  return (
    <div class="card online-box">
      <p>
        <strong>{onlineLabel(p.onlineLevel, lang)}.</strong>{' '}
        {p.onlineLevel === 'partial'
          ? t('Nộp hồ sơ trực tuyến, nhưng có bước phải thực hiện trực tiếp: ', 'Submit online, but one step is done in person: ')
          : t('Nộp hồ sơ, theo dõi và nhận kết quả trực tuyến.', 'Submit, track and receive the result online.')}
        {p.onlineLevel === 'partial' ? p.partialReason : null}
      </p>
      {p.onlineLevel === 'partial' && p.partialLegalBasis ? (
        <p class="muted">
          {t('Căn cứ', 'Legal basis')}: {p.partialLegalBasis}
        </p>
      ) : null}
      <p>
        <a class="button" href={`/nop-ho-so/${encodeURIComponent(p.code)}`}>
          {t('Nộp hồ sơ trực tuyến', 'Submit online')}
        </a>
      </p>
      {nationalUrl ? (
        <p>
          {t('Hoặc nộp qua ', 'Or submit through ')}
          <a href={nationalUrl} rel="external noopener">
            {t('Cổng Dịch vụ công quốc gia', 'the National Public Service Portal')}
          </a>
          .
        </p>
      ) : null}
    </div>
  )
}

function TimeAndFees({ p, lang }: { p: ProcedureDto; lang: Lang }) {
  const t = tt(lang)
  const c = p.content
  const local = c.local
  return (
    <section aria-labelledby="h-time">
      <h2 id="h-time">{t('Thời hạn giải quyết và phí, lệ phí', 'Time limit and fees')}</h2>
      {local && (local.time || local.fee) ? (
        <p class="notice">
          {t('Tại tỉnh Cà Mau', 'In Cà Mau')}: {local.time ? `${t('thời hạn', 'time limit')} ${timeText(local.time, lang)}` : null}
          {local.time && local.fee ? '; ' : null}
          {local.fee ? `${t('phí, lệ phí', 'fee')} ${feeText(local.fee, lang)}` : null}
          {local.note ? ` (${local.note})` : null}
        </p>
      ) : null}
      {c.channels.length ? (
        <div class="table-wrap">
          <table>
            <caption class="muted">{t('Theo quy định chung (CSDL quốc gia về thủ tục hành chính)', 'National baseline (national procedure database)')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Hình thức nộp', 'Channel')}</th>
                <th scope="col">{t('Thời hạn', 'Time limit')}</th>
                <th scope="col">{t('Phí, lệ phí', 'Fees')}</th>
              </tr>
            </thead>
            <tbody>
              {c.channels.map((r) => (
                <tr>
                  <th scope="row">{channelLabel(r.channel, lang)}</th>
                  <td>{timeText(r.time, lang)}</td>
                  <td>
                    {feeText(r.fee, lang)}
                    {r.fee.note ? <div class="muted">{r.fee.note}</div> : null}
                    {r.description ? <div class="muted">{r.description}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('Chưa có thông tin về thời hạn và phí.', 'No information on time limits and fees.')}</p>
      )}
    </section>
  )
}

function Documents({ p, lang }: { p: ProcedureDto; lang: Lang }) {
  const t = tt(lang)
  const cases = p.content.cases
  if (!cases.length) {
    return (
      <section aria-labelledby="h-docs">
        <h2 id="h-docs">{t('Thành phần hồ sơ', 'Documents to bring')}</h2>
        {p.content.original.documents ? <Paragraphs text={p.content.original.documents} /> : <p>{t('Chưa có thông tin.', 'No information.')}</p>}
      </section>
    )
  }
  return (
    <section aria-labelledby="h-docs">
      <h2 id="h-docs">{t('Thành phần hồ sơ', 'Documents to bring')}</h2>
      {cases.map((c, k) => {
        const docs = c.documents.filter((d) => d.originals + d.copies > 0)
        const notes = c.documents.filter((d) => d.originals + d.copies === 0)
        return (
          <div class="case">
            <h3 id={`case-${k}`}>{c.name ?? t('Hồ sơ gồm', 'The dossier')}</h3>
            {docs.length ? (
              <div class="table-wrap">
                <table aria-labelledby={`case-${k}`}>
                  <thead>
                    <tr>
                      <th scope="col">{t('Giấy tờ', 'Document')}</th>
                      <th scope="col">{t('Bản chính', 'Originals')}</th>
                      <th scope="col">{t('Bản sao', 'Copies')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {docs.map((d) => (
                      <tr>
                        <td>
                          {d.name}
                          {d.templates.length ? (
                            <div class="muted">
                              {t('Mẫu', 'Form')}: {d.templates.join(', ')}
                            </div>
                          ) : null}
                        </td>
                        <td class="num">{d.originals}</td>
                        <td class="num">{d.copies}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {notes.length ? (
              <ul class="notes">
                {notes.map((d) => (
                  <li>{d.name}</li>
                ))}
              </ul>
            ) : null}
          </div>
        )
      })}
    </section>
  )
}

export interface VersionLine {
  version: number
  publishedAt: string
  changeNote: string | null
}

/** The versions, each a link but the one shown (`shown` undefined: every one is a link). */
function VersionsSection({ lang, proc, versions, shown }: { lang: Lang; proc: ProcedureDto; versions: VersionLine[]; shown: number | undefined }) {
  const t = tt(lang)
  const c = proc.content
  return (
    <section aria-labelledby="h-versions" class="versions">
      <h2 id="h-versions">{t('Công bố và phiên bản', 'Publication and versions')}</h2>
      <ul>
        {versions.map((v) => (
          <li>
            {v.version === shown ? (
              <strong>{t(`Phiên bản ${v.version}`, `Version ${v.version}`)}</strong>
            ) : (
              <a href={`/thu-tuc/${proc.code}?phien-ban=${v.version}`}>{t(`Phiên bản ${v.version}`, `Version ${v.version}`)}</a>
            )}
            , {t('công bố', 'published')} {formatVnDateTime(new Date(v.publishedAt))}
            {v.changeNote ? ` — ${v.changeNote}` : ''}
          </li>
        ))}
      </ul>
      {c.sourceUrl ? (
        <p class="muted">
          {t('Nguồn: ', 'Source: ')}
          <a href={c.sourceUrl} rel="external noopener">
            {t('CSDL quốc gia về thủ tục hành chính', 'National procedure database')}
          </a>
        </p>
      ) : null}
    </section>
  )
}

function NoLongerApplies({ lang, proc }: { lang: Lang; proc: ProcedureDto }) {
  const t = tt(lang)
  const since = formatVnDateTime(new Date(proc.unpublishedAt ?? proc.publishedAt))
  return (
    <div class="alert" role="note">
      <p>
        <strong>{t(`Thủ tục này không còn áp dụng từ ${since}.`, `This procedure no longer applies since ${since}.`)}</strong>
      </p>
      {proc.unpublishedReason ? (
        <p>
          {t('Lý do', 'Reason')}: {proc.unpublishedReason}
        </p>
      ) : null}
      <p>{t('Cơ quan nhà nước không tiếp nhận hồ sơ mới theo thủ tục này.', 'No new dossiers are received under this procedure.')}</p>
    </div>
  )
}

/** A procedure that no longer applies: since when and why, instead of its checklist; its versions stay readable. */
function UnpublishedProcedurePage(p: { lang: Lang; proc: ProcedureDto; versions: VersionLine[] }) {
  const t = tt(p.lang)
  const { proc } = p
  return (
    <article class="procedure">
      <p class="noprint">
        <a href="/thu-tuc">{t('← Danh mục thủ tục', '← Procedure catalogue')}</a>
      </p>
      <h1>{proc.name}</h1>
      <NoLongerApplies lang={p.lang} proc={proc} />
      <dl class="facts">
        <dt>{t('Mã thủ tục', 'Code')}</dt>
        <dd>{proc.code}</dd>
        <dt>{t('Lĩnh vực', 'Field')}</dt>
        <dd>{proc.field}</dd>
      </dl>
      <p>
        {t('Nội dung đã công bố trước đây vẫn xem được theo từng phiên bản dưới đây. ', 'What was published before stays readable, version by version, below. ')}
        <a href="/thu-tuc">{t('Tìm thủ tục khác', 'Find another procedure')}</a>
      </p>
      <VersionsSection lang={p.lang} proc={proc} versions={p.versions} shown={undefined} />
    </article>
  )
}

/** Everything a citizen needs about one procedure, printable (or, once unpublished, that it no longer applies). */
export function ProcedurePage(p: { lang: Lang; proc: ProcedureDto; versions: VersionLine[]; versionAsked?: boolean }) {
  const t = tt(p.lang)
  const { proc } = p
  if (proc.unpublishedAt && !p.versionAsked) return <UnpublishedProcedurePage lang={p.lang} proc={proc} versions={p.versions} />
  const c = proc.content
  const competent = proc.agencies.filter((a) => a.role === 'competent')
  const receiving = proc.agencies.filter((a) => a.role === 'receiving')
  const templates = [...new Set(c.cases.flatMap((x) => x.documents.flatMap((d) => d.templates)))]
  return (
    <article class="procedure">
      <p class="noprint">
        <a href="/thu-tuc">{t('← Danh mục thủ tục', '← Procedure catalogue')}</a>
      </p>
      <h1>{proc.name}</h1>
      {proc.unpublishedAt ? <NoLongerApplies lang={p.lang} proc={proc} /> : null}
      {proc.version !== proc.latestVersion ? (
        <p class="alert">
          {t(`Bạn đang xem phiên bản ${proc.version}, không phải phiên bản hiện hành.`, `You are reading version ${proc.version}, not the current one.`)}{' '}
          <a href={`/thu-tuc/${proc.code}`}>{t('Xem phiên bản hiện hành', 'See the current version')}</a>
        </p>
      ) : null}
      {!proc.inProvince ? <p class="alert">{t('Thủ tục này hiện không áp dụng tại tỉnh Cà Mau.', 'This procedure does not currently apply in Cà Mau.')}</p> : null}
      <dl class="facts">
        <dt>{t('Mã thủ tục', 'Code')}</dt>
        <dd>{proc.code}</dd>
        <dt>{t('Lĩnh vực', 'Field')}</dt>
        <dd>
          <a href={catalogHref({ field: proc.field })}>{proc.field}</a>
        </dd>
        <dt>{t('Cấp thực hiện', 'Level')}</dt>
        <dd>{proc.levels.map((l) => levelLabel(l, p.lang)).join(', ') || '—'}</dd>
        <dt>{t('Đối tượng', 'Who applies')}</dt>
        <dd>{c.subjectLabels.length ? c.subjectLabels.join('; ') : proc.subjects.map((s) => subjectLabel(s, p.lang)).join(', ') || '—'}</dd>
        <dt>{t('Cơ quan giải quyết', 'Deciding agency')}</dt>
        <dd>
          <AgencyList items={competent} lang={p.lang} />
        </dd>
        <dt>{t('Nơi nộp hồ sơ', 'Where to submit')}</dt>
        <dd>
          <AgencyList items={receiving} lang={p.lang} />
        </dd>
        <dt>{t('Mức độ trực tuyến', 'Online level')}</dt>
        <dd>{proc.onlineLevel ? onlineLabel(proc.onlineLevel, p.lang) : t('Chưa công bố', 'Not published yet')}</dd>
        {c.decisionNo ? (
          <>
            <dt>{t('Quyết định công bố', 'Publishing decision')}</dt>
            <dd>{c.decisionNo}</dd>
          </>
        ) : null}
      </dl>
      <OnlineBox p={proc} lang={p.lang} nationalUrl={c.sourceUrl} />
      <TimeAndFees p={proc} lang={p.lang} />
      <Documents p={proc} lang={p.lang} />
      {c.steps.length ? (
        <section aria-labelledby="h-steps">
          <h2 id="h-steps">{t('Trình tự thực hiện', 'Steps')}</h2>
          <div class="steps">
            {c.steps.map((s) => (
              <p>{s}</p>
            ))}
          </div>
        </section>
      ) : null}
      {c.conditions ? (
        <section aria-labelledby="h-cond">
          <h2 id="h-cond">{t('Yêu cầu, điều kiện', 'Conditions')}</h2>
          <Paragraphs text={c.conditions} />
        </section>
      ) : null}
      {c.results.length ? (
        <section aria-labelledby="h-results">
          <h2 id="h-results">{t('Kết quả nhận được', 'What you receive')}</h2>
          <ul>
            {c.results.map((r) => (
              <li>
                {r.name}
                {r.code ? <span class="muted"> ({r.code})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {c.legalBases.length ? (
        <section aria-labelledby="h-legal">
          <h2 id="h-legal">{t('Căn cứ pháp lý', 'Legal basis')}</h2>
          <ul>
            {c.legalBases.map((b) => (
              <li>
                {b.code && b.title !== b.code ? (
                  <>
                    <strong>{b.code}</strong>: {b.title}
                  </>
                ) : (
                  b.title
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {templates.length ? (
        <section aria-labelledby="h-forms">
          <h2 id="h-forms">{t('Mẫu đơn, tờ khai', 'Forms')}</h2>
          <ul>
            {templates.map((f) => (
              <li>{f}</li>
            ))}
          </ul>
          <p class="muted">
            {t('Tệp mẫu được đăng kèm thủ tục trên ', 'The form files are published with the procedure on ')}
            {c.sourceUrl ? (
              <a href={c.sourceUrl} rel="external noopener">
                {t('Cổng Dịch vụ công quốc gia', 'the National Public Service Portal')}
              </a>
            ) : (
              t('Cổng Dịch vụ công quốc gia', 'the National Public Service Portal')
            )}
            .
          </p>
        </section>
      ) : null}
      <VersionsSection lang={p.lang} proc={proc} versions={p.versions} shown={proc.version} />
    </article>
  )
}
