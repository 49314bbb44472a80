import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { registerOrgPages } from './org.pages.js'
import {
  AddressMapDto,
  AddressMapQuery,
  AgencyDetailDto,
  AgencyListDto,
  AgencyListQuery,
  AgencyParams,
  AtQuery,
  ErrorDto,
  LineageDto,
  toAddressMapDto,
  toAgencyDto,
  toAgencyRef,
  toLinkedUnitDto,
  toUnitDto,
  toUnitRef,
  UnitDetailDto,
  UnitListDto,
  UnitListQuery,
  UnitParams,
} from './org.schemas.js'
import { getAgency, getLineage, getUnit, listAgenciesFiltered, listUnitEras, listUnits, mapFormerAddress, type OrgDeps } from './org.service.js'

const ERRORS = { 400: ErrorDto, 404: ErrorDto }

function registerOrgApi(appIn: FastifyInstance, deps: OrgDeps) {
  const app = appIn.withTypeProvider<ZodTypeProvider>()

  app.get(
    '/api/v1/org/units',
    {
      schema: {
        tags: ['org'],
        summary: 'List or search administrative units of one era (default today): ?parent=96 gives the 64 communes of Cà Mau',
        querystring: UnitListQuery,
        response: { 200: UnitListDto, ...ERRORS },
      },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query
      const r = await listUnits(deps, filter, { limit, offset })
      return { at: r.at, total: r.total, limit, offset, items: r.items.map(toUnitDto) }
    },
  )

  app.get(
    '/api/v1/org/units/:code',
    {
      schema: {
        tags: ['org'],
        summary: 'One administrative unit by GSO code: the current one, or the one valid on ?at= (codes were reused in 2025)',
        params: UnitParams,
        querystring: AtQuery,
        response: { 200: UnitDetailDto, ...ERRORS },
      },
    },
    async (req) => {
      const unit = await getUnit(deps, req.params.code, req.query.at)
      const otherEras = (await listUnitEras(deps, unit.code)).filter((u) => u.id !== unit.id)
      return { ...toUnitDto(unit), otherEras: otherEras.map((u) => ({ ...toUnitRef(u), validFrom: u.validFrom, validTo: u.validTo })) }
    },
  )

  const LINEAGE_SUMMARY = {
    successors: 'The units a former unit went into on 1 July 2025, each whole or part (default: the most recent former unit with this code)',
    predecessors: 'The former units a unit was formed from, each whole or part (default: the current unit with this code)',
  }
  for (const direction of ['successors', 'predecessors'] as const) {
    app.get(
      `/api/v1/org/units/:code/${direction}`,
      { schema: { tags: ['org'], summary: LINEAGE_SUMMARY[direction], params: UnitParams, querystring: AtQuery, response: { 200: LineageDto, ...ERRORS } } },
      async (req) => {
        const r = await getLineage(deps, req.params.code, direction, req.query.at)
        return { unit: toUnitDto(r.unit), items: r.items.map(toLinkedUnitDto) }
      },
    )
  }

  app.get(
    '/api/v1/org/agencies',
    {
      schema: {
        tags: ['org'],
        summary: 'List or search agencies (UBND, departments, public administration service centres) valid on a day (default today)',
        querystring: AgencyListQuery,
        response: { 200: AgencyListDto, ...ERRORS },
      },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query
      const r = await listAgenciesFiltered(deps, filter, { limit, offset })
      return { at: r.at, total: r.total, limit, offset, items: r.items.map(toAgencyDto) }
    },
  )

  app.get(
    '/api/v1/org/agencies/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'One agency by id, with its electronic code (mã định danh), parent and subordinate agencies',
        params: AgencyParams,
        response: { 200: AgencyDetailDto, ...ERRORS },
      },
    },
    async (req) => {
      const r = await getAgency(deps, req.params.id)
      return { ...toAgencyDto(r.agency), parent: r.parent ? toAgencyRef(r.parent) : null, children: r.children.map(toAgencyRef) }
    },
  )

  app.get(
    '/api/v1/org/address/map',
    {
      schema: {
        tags: ['org'],
        summary: 'Map a pre-2025 address (commune, district, province; codes or names, accents optional) to the current commune and province',
        querystring: AddressMapQuery,
        response: { 200: AddressMapDto, ...ERRORS },
      },
    },
    async (req) => toAddressMapDto(await mapFormerAddress(deps, req.query)),
  )
}

/** Organisation API and pages (units, lineage, agencies, address mapper). */
export const orgModule: VidanModule = {
  name: 'org',
  register(app: FastifyInstance, m: ModuleDeps) {
    const deps: OrgDeps = { db: m.db, clock: m.clock }
    registerOrgApi(app, deps)
    registerOrgPages(app, deps, m.provinceCode)
  },
}
