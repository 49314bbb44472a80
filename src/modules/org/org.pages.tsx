import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { tr, type Lang } from '../../shared/i18n.js'
import { inSentence, LAST_DAY_BEFORE_REFORM, REFORM_DATE } from './org.reference.js'
import { type AGENCY_KINDS, type UNIT_TYPES } from './org.schemas.js'
import {
  agenciesOfUnit,
  getUnit,
  linkedUnitsOf,
  listUnitEras,
  listUnits,
  UnitNotFoundError,
  vnToday,
  type AdminUnit,
  type AgencyWithUnit,
  type LinkedUnit,
  type OrgDeps,
} from './org.service.js'

// Public pages: the communes of the province with search, and one page per unit showing its
// agencies and its lineage. Server-rendered, no script; every table has a caption and headers.

const TYPE_LABELS: Record<(typeof UNIT_TYPES)[number], [vi: string, en: string]> = {
  tinh: ['Tỉnh', 'Province'],
  thanh_pho: ['Thành phố', 'City'],
  huyen: ['Huyện', 'District'],
  thi_xa: ['Thị xã', 'Town'],
  quan: ['Quận', 'Urban district'],
  phuong: ['Phường', 'Ward'],
  xa: ['Xã', 'Commune'],
  thi_tran: ['Thị trấn', 'Township'],
  dac_khu: ['Đặc khu', 'Special zone'],
}

const KIND_LABELS: Record<(typeof AGENCY_KINDS)[number], [vi: string, en: string]> = {
  ubnd: ['Ủy ban nhân dân', "People's Committee"],
  van_phong: ['Văn phòng', 'Office'],
  ttpvhcc: ['Trung tâm Phục vụ hành chính công', 'Public administration service centre'],
  so: ['Sở', 'Department'],
  nganh_doc: ['Cơ quan ngành dọc', 'Vertically managed agency'],
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY'. */
const vnDate = (d: string) => d.split('-').reverse().join('/')

/** Link to a unit's page in its own era. */
const unitHref = (u: Pick<AdminUnit, 'code' | 'validTo'>) => (u.validTo === null ? `/don-vi/${u.code}` : `/don-vi/${u.code}?at=${u.validTo}`)

const typeLabel = (lang: Lang, u: AdminUnit) => tr(lang, ...TYPE_LABELS[u.type])

/** Units in a table; with `portion`, lineage links and how much of each unit went over. */
function UnitTable(p: { lang: Lang; id?: string; caption: string; units: (AdminUnit & { portion?: LinkedUnit['portion'] })[]; portion?: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <div class="table-wrap" role="region" tabIndex={0} aria-label={p.caption}>
      <table id={p.id}>
        <caption>{p.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('Mã', 'Code')}</th>
            <th scope="col">{t('Tên đơn vị', 'Name')}</th>
            <th scope="col">{p.portion ? t('Thuộc', 'Part of') : t('Loại', 'Type')}</th>
            <th scope="col">{p.portion ? t('Phần', 'Portion') : t('Thuộc', 'Part of')}</th>
          </tr>
        </thead>
        <tbody>
          {p.units.map((u) => (
            <tr>
              <td>{u.code}</td>
              <th scope="row">
                <a href={unitHref(u)}>{u.name}</a>
              </th>
              {p.portion ? (
                <>
                  <td>{u.parentName ?? ''}</td>
                  <td>{u.portion === 'whole' ? t('Toàn bộ', 'Whole') : t('Một phần', 'Part')}</td>
                </>
              ) : (
                <>
                  <td>{typeLabel(p.lang, u)}</td>
                  <td>{u.parentName ?? ''}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function UnitsPage(p: { lang: Lang; province: AdminUnit; q: string | undefined; communes: AdminUnit[]; formers: AdminUnit[] }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section>
      <h1>{t(`Đơn vị hành chính cấp xã ${inSentence(p.province.name)}`, `Commune-level units of ${p.province.name}`)}</h1>
      <p>
        {t(
          `Từ ngày ${vnDate(REFORM_DATE)}, chính quyền địa phương có hai cấp: tỉnh và xã, phường. Cấp huyện không còn. Tìm đơn vị hiện nay hoặc tên xã, phường cũ để biết nay thuộc đơn vị nào.`,
          `Since ${vnDate(REFORM_DATE)} local government has two tiers: the province and its communes and wards; districts were abolished. Search a current unit, or a former commune, to see which unit it belongs to now.`,
        )}
      </p>
      <form method="get" action="/don-vi" role="search" class="card">
        <label for="q">{t('Tên hoặc mã xã, phường (có thể gõ không dấu)', 'Name or code of the commune or ward (accents optional)')}</label>
        <input id="q" name="q" type="search" maxLength={100} value={p.q ?? ''} />
        <button type="submit">{t('Tìm', 'Search')}</button>
        {p.q ? (
          <p>
            <a href="/don-vi">{t('Xem tất cả', 'Show all')}</a>
          </p>
        ) : null}
      </form>
      <h2>{t('Đơn vị hiện nay', 'Current units')}</h2>
      {p.communes.length ? (
        <UnitTable
          lang={p.lang}
          id="current-units"
          caption={p.q ? t(`${p.communes.length} đơn vị khớp với “${p.q}”`, `${p.communes.length} units match “${p.q}”`) : t(`${p.communes.length} xã, phường`, `${p.communes.length} communes and wards`)}
          units={p.communes}
        />
      ) : (
        <p role="status">{t(`Không có đơn vị hiện nay nào khớp với “${p.q ?? ''}”.`, `No current unit matches “${p.q ?? ''}”.`)}</p>
      )}
      {p.q ? (
        <>
          <h2>{t(`Đơn vị cũ (trước ${vnDate(REFORM_DATE)})`, `Former units (before ${vnDate(REFORM_DATE)})`)}</h2>
          {p.formers.length ? (
            <UnitTable lang={p.lang} id="former-units" caption={t(`${p.formers.length} đơn vị cũ khớp với “${p.q}”`, `${p.formers.length} former units match “${p.q}”`)} units={p.formers} />
          ) : (
            <p>{t('Không có đơn vị cũ nào khớp.', 'No former unit matches.')}</p>
          )}
        </>
      ) : null}
    </section>
  )
}

export function UnitPage(p: {
  lang: Lang
  unit: AdminUnit
  former: boolean
  predecessors: LinkedUnit[]
  successors: LinkedUnit[]
  agencies: AgencyWithUnit[]
  children: AdminUnit[]
  otherEras: AdminUnit[]
}) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const u = p.unit
  return (
    <article>
      <h1>
        {u.name}
        {p.former ? <span class="muted"> {t(`(trước ${vnDate(REFORM_DATE)})`, `(before ${vnDate(REFORM_DATE)})`)}</span> : null}
      </h1>
      {p.former && u.validTo ? (
        <p class="notice" role="note">
          {t(`Đơn vị này không còn từ ngày ${vnDate(REFORM_DATE)}.`, `This unit no longer exists since ${vnDate(REFORM_DATE)}.`)}{' '}
          {p.successors.length
            ? t(`Nay thuộc: ${p.successors.map((s) => s.name).join('; ')}.`, `It is now part of: ${p.successors.map((s) => s.name).join('; ')}.`)
            : u.level === 'district'
              ? t('Cấp huyện đã bị bãi bỏ; các xã, phường của huyện đã chuyển về đơn vị mới (xem từng xã bên dưới).', 'Districts were abolished; see each of its communes below for the units they went into.')
              : null}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t('Mã đơn vị', 'Code')}</dt>
        <dd>{u.code}</dd>
        <dt>{t('Loại', 'Type')}</dt>
        <dd>{typeLabel(p.lang, u)}</dd>
        {u.parentCode && u.parentName ? (
          <>
            <dt>{t('Thuộc', 'Part of')}</dt>
            <dd>
              <a href={unitHref({ code: u.parentCode, validTo: u.validTo })}>{u.parentName}</a>
            </dd>
          </>
        ) : null}
        <dt>{t('Hiệu lực', 'Valid')}</dt>
        <dd>
          {u.validFrom ? t(`từ ${vnDate(u.validFrom)}`, `from ${vnDate(u.validFrom)}`) : t('trước khi có dữ liệu', 'since before our records')}
          {u.validTo ? t(` đến hết ${vnDate(u.validTo)}`, ` until ${vnDate(u.validTo)}`) : ''}
        </dd>
      </dl>
      {p.otherEras.length ? (
        <p>
          {t(`Mã ${u.code} cũng là mã của: `, `Code ${u.code} also belongs to: `)}
          {p.otherEras.map((o, i) => (
            <>
              {i ? '; ' : ''}
              <a href={unitHref(o)}>{o.name}</a>
              {o.validTo ? t(` (đến ${vnDate(o.validTo)})`, ` (until ${vnDate(o.validTo)})`) : t(' (hiện nay)', ' (current)')}
            </>
          ))}
          .
        </p>
      ) : null}

      {p.former ? (
        <section aria-labelledby="h-successors">
          <h2 id="h-successors">{t('Đơn vị kế thừa', 'Successor units')}</h2>
          {p.successors.length ? (
            <UnitTable portion lang={p.lang} caption={t(`Từ ${vnDate(REFORM_DATE)}, ${u.name} thuộc về`, `From ${vnDate(REFORM_DATE)}, ${u.name} went into`)} units={p.successors} />
          ) : (
            <p>{t('Không có đơn vị kế thừa trực tiếp.', 'No direct successor.')}</p>
          )}
        </section>
      ) : (
        <section aria-labelledby="h-predecessors">
          <h2 id="h-predecessors">{t('Hình thành từ', 'Formed from')}</h2>
          {p.predecessors.length ? (
            <UnitTable portion lang={p.lang} caption={t(`Đơn vị cũ hợp thành ${u.name}`, `Former units merged into ${u.name}`)} units={p.predecessors} />
          ) : (
            <p>{t('Không có dữ liệu về đơn vị cũ hợp thành.', 'No record of former units.')}</p>
          )}
        </section>
      )}

      {p.agencies.length ? (
        <section aria-labelledby="h-agencies">
          <h2 id="h-agencies">{t('Cơ quan', 'Agencies')}</h2>
          <div class="table-wrap" role="region" tabIndex={0} aria-label={t(`Cơ quan của ${u.name}`, `Agencies of ${u.name}`)}>
            <table>
              <caption>{t(`Cơ quan của ${u.name}`, `Agencies of ${u.name}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('Tên cơ quan', 'Agency')}</th>
                  <th scope="col">{t('Loại', 'Kind')}</th>
                  <th scope="col">{t('Mã định danh', 'Electronic code')}</th>
                </tr>
              </thead>
              <tbody>
                {p.agencies.map((a) => (
                  <tr>
                    <th scope="row">{a.name}</th>
                    <td>{tr(p.lang, ...KIND_LABELS[a.kind])}</td>
                    <td>
                      <code>{a.code}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="muted">
            {t(
              'Mã định danh điện tử do Vì Dân gán tạm theo dạng QCVN 102:2016, chờ danh mục chính thức của tỉnh.',
              "Electronic codes are assigned by Vì Dân in the QCVN 102:2016 form pending the province's official list.",
            )}
          </p>
        </section>
      ) : null}

      {p.children.length ? (
        <section aria-labelledby="h-children">
          <h2 id="h-children">{t('Đơn vị trực thuộc', 'Units within it')}</h2>
          <UnitTable lang={p.lang} id="child-units" caption={t(`${p.children.length} đơn vị thuộc ${u.name}`, `${p.children.length} units within ${u.name}`)} units={p.children} />
        </section>
      ) : null}

      <p>
        <a href="/don-vi">{t('Về danh sách đơn vị hành chính', 'Back to the administrative units')}</a>
      </p>
    </article>
  )
}

const ListQuery = z.object({ q: z.string().max(100, 'Từ khóa tối đa 100 ký tự.').optional() })
const UnitPageParams = z.object({ code: z.string().max(20) })
const UnitPageQuery = z.object({ at: z.iso.date().optional() })

/** `/don-vi` and `/don-vi/:code`. */
export function registerOrgPages(appIn: FastifyInstance, deps: OrgDeps, provinceCode: string) {
  const app = appIn.withTypeProvider<ZodTypeProvider>()

  app.get('/don-vi', { schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const q = req.query.q?.trim() || undefined
    const province = await getUnit(deps, provinceCode)
    const communes = await listUnits(deps, { parent: provinceCode, level: 'commune', q }, { limit: 200, offset: 0 })
    const formers = q ? await listUnits(deps, { level: 'commune', at: LAST_DAY_BEFORE_REFORM, q }, { limit: 50, offset: 0 }) : undefined
    // Alphabetical for people (phường before xã, as in the official list), not by code.
    const byName = (a: AdminUnit, b: AdminUnit) => a.nameFolded.localeCompare(b.nameFolded, 'vi', { numeric: true })
    return reply.page(
      {
        title: tr(req.lang, 'Đơn vị hành chính', 'Administrative units'),
        description: tr(req.lang, `Các xã, phường của ${inSentence(province.name)} từ 01/7/2025 và đơn vị cũ trước sắp xếp.`, `The communes and wards of ${province.name} since 1 July 2025, and the former units.`),
      },
      <UnitsPage lang={req.lang} province={province} q={q} communes={q ? communes.items : [...communes.items].sort(byName)} formers={formers?.items ?? []} />,
    )
  })

  app.get('/don-vi/:code', { schema: { hide: true, params: UnitPageParams, querystring: UnitPageQuery } }, async (req, reply) => {
    const { code } = req.params
    const at = req.query.at
    let unit: AdminUnit
    try {
      unit = await getUnit(deps, code, at)
    } catch (e) {
      // A code with no current unit but a former one (e.g. 32023 Xã An Xuyên): show that one.
      const latest = e instanceof UnitNotFoundError && at === undefined ? (await listUnitEras(deps, code))[0] : undefined
      if (latest?.validTo) return reply.redirect(`/don-vi/${encodeURIComponent(code)}?at=${latest.validTo}`, 303)
      throw e
    }
    const former = unit.validTo !== null && unit.validTo < vnToday(deps.clock)
    const era = unit.validTo ?? undefined
    const [predecessors, successors, agencies, children, eras] = await Promise.all([
      linkedUnitsOf(deps, unit.id, 'predecessors'),
      linkedUnitsOf(deps, unit.id, 'successors'),
      agenciesOfUnit(deps, unit.id, era),
      unit.level === 'commune' ? Promise.resolve({ items: [] as AdminUnit[] }) : listUnits(deps, { parent: unit.code, at: era ?? at }, { limit: 200, offset: 0 }),
      listUnitEras(deps, unit.code),
    ])
    return reply.page(
      { title: unit.name, description: tr(req.lang, `${unit.name}: cơ quan và đơn vị cũ, mới.`, `${unit.name}: agencies, former and new units.`) },
      <UnitPage
        lang={req.lang}
        unit={unit}
        former={former}
        predecessors={predecessors}
        successors={successors}
        agencies={agencies}
        children={children.items}
        otherEras={eras.filter((x) => x.id !== unit.id)}
      />,
    )
  })
}
