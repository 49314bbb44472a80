import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { NotFoundError } from '../../shared/errors.js'
import { assignAddressPieces, nameMatches, readAddressPart, splitAddressLine, type AddressPart } from './org.address.js'
import { LAST_DAY_BEFORE_REFORM } from './org.reference.js'
import {
  findAgencyWithUnit,
  findUnitByCode,
  findUnitById,
  foldTexts,
  selectAddressCandidates,
  selectAgencies,
  selectLinkedUnits,
  selectSuccessorsOf,
  selectUnits,
  selectUnitsByCode,
  type AdminUnit,
  type AgencyFilter,
  type AgencyWithUnit,
  type LinkedUnit,
  type UnitFilter,
} from './org.repo.js'
import type { AgencyKind, AgencyLevel, LineagePortion, UnitLevel, UnitType } from './org.tables.js'

export interface OrgDeps {
  db: Db
  clock: Clock
}

export class UnitNotFoundError extends NotFoundError {
  constructor(code: string, at: string | undefined, otherEras: { code: string; name: string; validFrom: string | null; validTo: string | null }[] = []) {
    super(
      'ORG.UNIT_NOT_FOUND',
      otherEras.length
        ? `Mã ${code} không thuộc đơn vị hành chính nào vào ngày ${at ?? 'hiện tại'}; mã này là của đơn vị ở thời kỳ khác (xem details.otherEras, dùng tham số at).`
        : `Không có đơn vị hành chính mã ${code}.`,
      { code, at, otherEras },
    )
  }
}

export class AgencyNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('ORG.AGENCY_NOT_FOUND', `Không có cơ quan mã ${id}.`, { id })
  }
}

export class AddressNotFoundError extends NotFoundError {
  constructor(part: 'province' | 'district' | 'commune', given: string) {
    const label = { province: 'tỉnh', district: 'huyện', commune: 'xã, phường, thị trấn' }[part]
    super('ORG.ADDRESS_NOT_FOUND', `Không tìm thấy ${label} "${given}" trong danh mục đơn vị hành chính trước ngày 01/7/2025.`, { part })
  }
}

const VN_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Today's date in Vietnam ('YYYY-MM-DD') by the injected clock. */
export function vnToday(clock: Clock): string {
  return VN_DAY.format(clock.now())
}

export interface Page {
  limit: number
  offset: number
}

export type UnitListQuery = Omit<UnitFilter, 'at' | 'parentId'> & { at?: string | undefined; parent?: string | undefined }

/** Units valid on `at` (default today), filtered; `parent` is the parent's code in that era. */
export async function listUnits(deps: OrgDeps, query: UnitListQuery, page: Page): Promise<{ at: string; items: AdminUnit[]; total: number }> {
  const at = query.at ?? vnToday(deps.clock)
  let parentId: string | undefined
  if (query.parent !== undefined) parentId = (await getUnit(deps, query.parent, at)).id
  const r = await selectUnits(deps.db, { at, parentId, level: query.level, type: query.type, q: query.q?.normalize('NFC') }, page)
  return { at, ...r }
}

/** The unit with `code` on `at` (default today); UnitNotFoundError naming its other eras. */
export async function getUnit(deps: OrgDeps, code: string, at?: string): Promise<AdminUnit> {
  const day = at ?? vnToday(deps.clock)
  const unit = await findUnitByCode(deps.db, code, day)
  if (unit) return unit
  const others = await selectUnitsByCode(deps.db, code)
  throw new UnitNotFoundError(
    code,
    day,
    others.map((u) => ({ code: u.code, name: u.name, validFrom: u.validFrom, validTo: u.validTo })),
  )
}

/** Every unit that ever had `code`, newest era first (codes were reused by the 2025 reform). */
export async function listUnitEras(deps: OrgDeps, code: string): Promise<AdminUnit[]> {
  return selectUnitsByCode(deps.db, code)
}

/**
 * Which unit a lineage question is about. With `at`, the unit of that day. Without: for
 * successors, the most recent *former* unit with the code (the one that has successors), else
 * today's; for predecessors, today's unit.
 */
async function lineageSubject(deps: OrgDeps, code: string, at: string | undefined, direction: 'successors' | 'predecessors'): Promise<AdminUnit> {
  if (at !== undefined || direction === 'predecessors') return getUnit(deps, code, at)
  const today = vnToday(deps.clock)
  const former = (await selectUnitsByCode(deps.db, code)).find((u) => u.validTo !== null && u.validTo < today)
  return former ?? getUnit(deps, code, today)
}

/** The unit and the units it went into (successors) or was formed from (predecessors), with portion. */
export async function getLineage(deps: OrgDeps, code: string, direction: 'successors' | 'predecessors', at?: string): Promise<{ unit: AdminUnit; items: LinkedUnit[] }> {
  const unit = await lineageSubject(deps, code, at, direction)
  return { unit, items: await selectLinkedUnits(deps.db, unit.id, direction) }
}

/** Lineage of a unit already in hand (pages). */
export async function linkedUnitsOf(deps: OrgDeps, unitId: string, direction: 'successors' | 'predecessors'): Promise<LinkedUnit[]> {
  return selectLinkedUnits(deps.db, unitId, direction)
}

export type AgencyListQuery = Omit<AgencyFilter, 'at' | 'unitId' | 'parentId'> & { at?: string | undefined; parent?: string | undefined; unit?: string | undefined }

/** Agencies valid on `at` (default today); `parent` is an agency id, `unit` a unit code. */
export async function listAgenciesFiltered(deps: OrgDeps, query: AgencyListQuery, page: Page): Promise<{ at: string; items: AgencyWithUnit[]; total: number }> {
  const at = query.at ?? vnToday(deps.clock)
  if (query.parent !== undefined && !(await findAgencyWithUnit(deps.db, query.parent))) throw new AgencyNotFoundError(query.parent)
  const unitId = query.unit !== undefined ? (await getUnit(deps, query.unit, at)).id : undefined
  const r = await selectAgencies(deps.db, { at, q: query.q?.normalize('NFC'), level: query.level, kind: query.kind, parentId: query.parent, unitId }, page)
  return { at, ...r }
}

/** The agency with `id`, or AgencyNotFoundError. */
export async function getAgency(deps: OrgDeps, id: string): Promise<{ agency: AgencyWithUnit; parent: AgencyWithUnit | undefined; children: AgencyWithUnit[] }> {
  const agency = await findAgencyWithUnit(deps.db, id)
  if (!agency) throw new AgencyNotFoundError(id)
  const parent = agency.parentId ? await findAgencyWithUnit(deps.db, agency.parentId) : undefined
  const children = (await selectAgencies(deps.db, { at: undefined, parentId: id }, { limit: 200, offset: 0 })).items
  return { agency, parent, children }
}

/** Agencies of a unit valid on `at` (current when undefined). */
export async function agenciesOfUnit(deps: OrgDeps, unitId: string, at: string | undefined): Promise<AgencyWithUnit[]> {
  return (await selectAgencies(deps.db, { at, unitId }, { limit: 200, offset: 0 })).items
}

// --- address mapper ------------------------------------------------------------------------

export interface FormerAddressInput {
  commune?: string | undefined
  district?: string | undefined
  province?: string | undefined
  /** The whole address on one line, "Xã An Xuyên, Thành phố Cà Mau, Tỉnh Cà Mau". */
  address?: string | undefined
}

export interface AddressCandidate {
  commune: AdminUnit
  province: AdminUnit | undefined
  portion: LineagePortion
}

export interface AddressMatch {
  former: { commune: AdminUnit; district: AdminUnit | undefined; province: AdminUnit | undefined }
  /** The former commune went into more than one new unit, or only part of it into this one. */
  split: boolean
  candidates: AddressCandidate[]
}

export interface AddressMapping {
  /** The day the former units are read at (the last day before the reform). */
  at: string
  /** More than one former commune fits the address (e.g. "Phường 1" without a district). */
  ambiguous: boolean
  matches: AddressMatch[]
}

async function resolvePart(
  deps: OrgDeps,
  level: UnitLevel,
  raw: string,
  part: AddressPart,
  scope: { parentIds?: string[]; grandparentIds?: string[] },
): Promise<AdminUnit[]> {
  const rows = await selectAddressCandidates(deps.db, {
    level,
    at: LAST_DAY_BEFORE_REFORM,
    ...(part.kind === 'code' ? { code: part.code } : { nameContains: part.contains }),
    ...scope,
  })
  const found = part.kind === 'code' ? rows : rows.filter((u) => nameMatches(u.nameFolded, level, part))
  if (!found.length) throw new AddressNotFoundError(level, raw)
  return found
}

/**
 * Turns a pre-2025 three-level address (commune, district, province; codes or names, accents
 * optional) into the current two-level one: every former commune that fits, each with all the
 * units it went into and whether it was split. AddressNotFoundError names the part not found.
 */
export async function mapFormerAddress(deps: OrgDeps, input: FormerAddressInput): Promise<AddressMapping> {
  let raws: { commune?: string | undefined; district?: string | undefined; province?: string | undefined } = input
  const pieces = input.address !== undefined ? splitAddressLine(input.address.normalize('NFC')) : []
  if (input.address !== undefined) {
    const folded = await foldTexts(deps.db, pieces)
    const slots = assignAddressPieces(folded)
    const pick = (i: number | undefined) => (i === undefined ? undefined : pieces[i])
    // Separate fields, when also given, win over what the line says.
    raws = { commune: input.commune ?? pick(slots.commune), district: input.district ?? pick(slots.district), province: input.province ?? pick(slots.province) }
  }
  const communeRaw = raws.commune?.normalize('NFC').trim()
  if (!communeRaw) throw new AddressNotFoundError('commune', input.address ?? '')
  const districtRaw = raws.district?.normalize('NFC').trim() || undefined
  const provinceRaw = raws.province?.normalize('NFC').trim() || undefined
  const [cF = '', dF = '', pF = ''] = await foldTexts(deps.db, [communeRaw, districtRaw ?? '', provinceRaw ?? ''])

  let provinces: AdminUnit[] | undefined
  const provincePart = provinceRaw ? readAddressPart(pF, 'province') : undefined
  if (provinceRaw && provincePart) provinces = await resolvePart(deps, 'province', provinceRaw, provincePart, {})
  let districts: AdminUnit[] | undefined
  const districtPart = districtRaw ? readAddressPart(dF, 'district') : undefined
  if (districtRaw && districtPart) districts = await resolvePart(deps, 'district', districtRaw, districtPart, provinces ? { parentIds: provinces.map((p) => p.id) } : {})
  const communePart = readAddressPart(cF, 'commune')
  if (!communePart) throw new AddressNotFoundError('commune', communeRaw)
  const communes = await resolvePart(
    deps,
    'commune',
    communeRaw,
    communePart,
    districts ? { parentIds: districts.map((d) => d.id) } : provinces ? { grandparentIds: provinces.map((p) => p.id) } : {},
  )

  const successors = await selectSuccessorsOf(
    deps.db,
    communes.map((c) => c.id),
  )
  // Districts and provinces of the former communes and provinces of the successors: a few
  // units, most already resolved above.
  const cache = new Map<string, AdminUnit>([...(districts ?? []), ...(provinces ?? [])].map((u) => [u.id, u]))
  const unitById = async (id: string | null): Promise<AdminUnit | undefined> => {
    if (!id) return undefined
    const u = cache.get(id) ?? (await findUnitById(deps.db, id))
    if (u) cache.set(id, u)
    return u
  }
  const matches: AddressMatch[] = []
  for (const c of communes) {
    const district = await unitById(c.parentId)
    const province = await unitById(district?.parentId ?? null)
    const mine = successors.filter((s) => s.predecessorId === c.id)
    const candidates: AddressCandidate[] = []
    for (const s of mine) candidates.push({ commune: s, province: await unitById(s.parentId), portion: s.portion })
    matches.push({ former: { commune: c, district, province }, split: mine.length > 1 || mine.some((s) => s.portion === 'part'), candidates })
  }
  return { at: LAST_DAY_BEFORE_REFORM, ambiguous: matches.length > 1, matches }
}

export type { AdminUnit, AgencyKind, AgencyLevel, AgencyWithUnit, LinkedUnit, UnitLevel, UnitType }
