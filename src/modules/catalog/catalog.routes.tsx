import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { NotFoundError, ValidationError } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { findAgencyById } from '../org/index.js'
import { RULE_LABELS } from './catalog.labels.js'
import { AgencyPage, CatalogHomePage, CatalogResultsPage, ProcedurePage } from './catalog.pages.js'
import { registerCatalogAdmin } from './catalog.admin-routes.js'
import { getWorkflowTemplate } from './catalog.workflow-service.js'
import { WorkflowTemplateDto } from './catalog.workflow.js'
import { AgencyRef, COMMUNE_RULES, ProcedureCode, ProcedureDto, SearchQuery, SearchResultDto, VersionSummaryDto } from './catalog.schemas.js'
import {
  agencyNameMap,
  getProcedure,
  listAgencyProcedures,
  listCatalogFields,
  listProcedureVersions,
  searchCatalog,
  type CatalogDeps,
} from './catalog.service.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
const CodeParam = z.object({ code: ProcedureCode })
const ProcedureQuery = z.object({
  at: z.iso.datetime({ offset: true }).optional().describe('The instant whose version in force is wanted (ISO 8601).'),
  version: z.coerce.number().int().min(1).optional(),
})

function invalidQuery(issues: z.core.$ZodIssue[]): ValidationError {
  return new ValidationError(
    'VALIDATION.FAILED',
    'Tham số tìm kiếm không hợp lệ.',
    issues.map((i) => ({ path: `querystring.${i.path.join('.')}`, message: i.message, code: i.code })),
  )
}

/** Catalogue API and public pages. */
export const catalogModule: VidanModule = {
  name: 'catalog',
  register(appIn: FastifyInstance, m: ModuleDeps) {
    const app = appIn.withTypeProvider<ZodTypeProvider>()
    const deps: CatalogDeps = { db: m.db, clock: m.clock }

    // ---- API ---------------------------------------------------------------------------------
    app.get(
      '/api/v1/procedures',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Search procedures (accent-insensitive, typo-tolerant) with filters and counts per filter value',
          querystring: SearchQuery,
          response: { 200: SearchResultDto, 400: ErrorDto },
        },
      },
      async (req) => searchCatalog(deps, req.query, req.lang),
    )
    app.get(
      '/api/v1/procedures/:code',
      {
        schema: {
          tags: ['catalog'],
          summary: 'A procedure: the current version, a given version, or the version in force at an instant',
          params: CodeParam,
          querystring: ProcedureQuery,
          response: { 200: ProcedureDto, 400: ErrorDto, 404: ErrorDto },
        },
      },
      async (req) => getProcedure(deps, req.params.code, { version: req.query.version, at: req.query.at ? new Date(req.query.at) : undefined }),
    )
    app.get(
      '/api/v1/procedures/:code/versions',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Version history of a procedure: when each was published and whether on time',
          params: CodeParam,
          response: { 200: z.object({ items: z.array(VersionSummaryDto) }), 400: ErrorDto, 404: ErrorDto },
        },
      },
      async (req) => ({ items: await listProcedureVersions(deps, req.params.code) }),
    )
    app.get(
      '/api/v1/procedures/:code/workflow',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The workflow template a procedure version’s dossiers follow: steps in order, performer, time budget in the unit of the legal limit; `source: default` when none was set',
          params: CodeParam,
          querystring: ProcedureQuery,
          response: { 200: WorkflowTemplateDto, 400: ErrorDto, 404: ErrorDto },
        },
      },
      async (req) => getWorkflowTemplate(deps, req.params.code, { version: req.query.version, at: req.query.at ? new Date(req.query.at) : undefined }),
    )
    // Edit, publish, unpublish, diff, audit, and the /admin/thu-tuc pages.
    registerCatalogAdmin(app, m)

    // ---- pages -------------------------------------------------------------------------------
    app.get('/thu-tuc', { schema: { hide: true, querystring: z.record(z.string(), z.unknown()) } }, async (req, reply) => {
      const t = (vi: string, en: string) => tr(req.lang, vi, en)
      const parsed = SearchQuery.safeParse(req.query)
      if (!parsed.success) throw invalidQuery(parsed.error.issues)
      const q = parsed.data
      const filtered = q.q || q.field || q.level || q.agency || q.subject || q.online || q.page > 1
      if (!filtered) {
        const fields = await listCatalogFields(deps)
        return reply.page(
          { title: t('Thủ tục hành chính', 'Administrative procedures'), description: t('Tra cứu thủ tục hành chính tỉnh Cà Mau: hồ sơ, thời hạn, phí, nơi nộp.', 'Find the administrative procedures of Cà Mau province.') },
          <CatalogHomePage lang={req.lang} fields={fields} total={fields.reduce((n, f) => n + f.n, 0)} />,
        )
      }
      const result = await searchCatalog(deps, q, req.lang)
      return reply.page(
        { title: q.q ? `${q.q} · ${t('Tìm thủ tục', 'Find a procedure')}` : t('Tìm thủ tục', 'Find a procedure') },
        <CatalogResultsPage lang={req.lang} query={q} result={result} />,
      )
    })

    app.get('/thu-tuc/:code', { schema: { hide: true, params: z.object({ code: z.string().max(60) }), querystring: z.object({ 'phien-ban': z.string().max(6).optional() }) } }, async (req, reply) => {
      const code = ProcedureCode.safeParse(req.params.code)
      if (!code.success) throw new NotFoundError('CATALOG.PROCEDURE_NOT_FOUND', `Không có thủ tục mã ${req.params.code}.`)
      const v = req.query['phien-ban']
      const version = v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : undefined
      if (v !== undefined && version === undefined) throw new ValidationError('VALIDATION.FAILED', 'Số phiên bản không hợp lệ.')
      const proc = await getProcedure(deps, code.data, { version })
      const versions = await listProcedureVersions(deps, code.data)
      return reply.page({ title: proc.name, description: tr(req.lang, `${proc.name}: hồ sơ, thời hạn, phí, nơi nộp.`, `${proc.name}: documents, time limit, fees, where to submit.`) }, <ProcedurePage lang={req.lang} proc={proc} versions={versions} versionAsked={version !== undefined} />)
    })

    app.get('/co-quan/:id', { schema: { hide: true, params: z.object({ id: z.string().max(80) }) } }, async (req, reply) => {
      const ref = AgencyRef.safeParse(req.params.id)
      if (!ref.success) throw new NotFoundError('CATALOG.AGENCY_NOT_FOUND', 'Không có cơ quan này.')
      const id = ref.data
      const isRule = (COMMUNE_RULES as readonly string[]).includes(id)
      const agency = isRule ? undefined : await findAgencyById(m.db, id)
      const items = await listAgencyProcedures(deps, id)
      const label = isRule ? tr(req.lang, RULE_LABELS[id]?.vi ?? id, RULE_LABELS[id]?.en ?? id) : (agency?.name ?? (await agencyNameMap(m.db)).get(id))
      if (!label || (!agency && !items.length)) throw new NotFoundError('CATALOG.AGENCY_NOT_FOUND', 'Không có cơ quan này hoặc cơ quan chưa có thủ tục nào.')
      return reply.page(
        { title: label, description: tr(req.lang, `Thủ tục hành chính do ${label} giải quyết hoặc tiếp nhận.`, `Procedures handled by ${label}.`) },
        <AgencyPage
          lang={req.lang}
          name={label}
          code={agency?.code ?? null}
          isRule={isRule}
          items={items.map((i) => ({ code: i.code, name: i.name, field: i.field, levels: i.levels, subjects: i.subjects, onlineLevel: i.onlineLevel, inProvince: i.inProvince, version: i.currentVersion }))}
        />,
      )
    })
  },
}
