import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import type { AdminUnitLineageTable, AdminUnitsTable, AgenciesTable, AgencyKind, LineagePortion, UnitLevel, UnitType } from './org.tables.js'

// Pure builders of the organisation reference data: CSV text in, table rows out. No I/O here,
// so every rule (and every way the sources can contradict each other) is unit-tested.

/** The day the two-tier local government and the merged provinces took effect. */
export const REFORM_DATE = '2025-07-01'
/** The last day of the former units (provinces before merger, districts, former communes). */
export const LAST_DAY_BEFORE_REFORM = '2025-06-30'

/** A row of admin_units as the seed writes it. */
export type UnitRow = Omit<AdminUnitsTable, 'extra' | 'nameFolded'> & { extra: Record<string, unknown> }
/** A row of admin_unit_lineage. */
export type LineageRow = AdminUnitLineageTable
/** A row of agencies as the seed writes it. */
export type AgencyRow = Omit<AgenciesTable, 'nameFolded' | 'shortName' | 'unitId' | 'validFrom'> & { shortName: string; unitId: string; validFrom: string }

/** The reference files contradict themselves or are malformed; lists every problem found. */
export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`org reference data is inconsistent (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ReferenceDataError'
  }
}

// Stable surrogate ids: codes were reused by the reform, so the era is part of the id.
export const unitIds = {
  province: (code: string) => `p${code}`,
  commune: (provinceCode: string, code: string) => `c${provinceCode}-${code}`,
  formerProvince: (code: string) => `hp${code}`,
  formerDistrict: (code: string) => `hd-${code}`,
  formerCommune: (code: string) => `h-${code}`,
}

/** Collapses runs of white space (the sources have "Tạ An Khương  Đông"). */
export const squash = (s: string) => s.replace(/\s+/g, ' ').trim()

const TYPE_PREFIXES: Record<UnitLevel, [RegExp, UnitType][]> = {
  province: [
    [/^tỉnh /i, 'tinh'],
    [/^thành phố /i, 'thanh_pho'],
  ],
  district: [
    [/^huyện /i, 'huyen'],
    [/^thành phố /i, 'thanh_pho'],
    [/^thị xã /i, 'thi_xa'],
    [/^quận /i, 'quan'],
  ],
  commune: [
    [/^phường /i, 'phuong'],
    [/^xã /i, 'xa'],
    [/^thị trấn /i, 'thi_tran'],
    [/^đặc khu /i, 'dac_khu'],
  ],
}

/** The unit type its name starts with ("Thị Trấn Năm Căn" → thi_tran), or undefined. */
export function typeFromName(name: string, level: UnitLevel): UnitType | undefined {
  return TYPE_PREFIXES[level].find(([re]) => re.test(squash(name)))?.[1]
}

export interface MergedFromEntry {
  code: string
  name: string
  district: string
  portion: LineagePortion
}

const MERGED_ENTRY = /^(\d{5}) (.+?), (.+) \((toàn bộ|một phần)\)$/

/**
 * Parses `merged_from_old_units`: "CODE Name, District (toàn bộ|một phần); …".
 * "một phần" (part) means the former commune was split between several new units.
 */
export function parseMergedFrom(text: string): { entries: MergedFromEntry[]; problems: string[] } {
  const entries: MergedFromEntry[] = []
  const problems: string[] = []
  for (const raw of text.split(';')) {
    const part = squash(raw)
    if (!part) continue
    const m = MERGED_ENTRY.exec(part)
    if (!m) {
      problems.push(`cannot read former unit "${part}" (expected "CODE Name, District (toàn bộ|một phần)")`)
      continue
    }
    const [, code = '', name = '', district = '', portion] = m
    entries.push({ code, name, district, portion: portion === 'toàn bộ' ? 'whole' : 'part' })
  }
  if (!entries.length && !problems.length) problems.push('no former unit listed')
  return { entries, problems }
}

/** Parses `new_units_after_2025_07_01`: "CODE:Name; CODE:Name". */
export function parseNewUnits(text: string): { entries: { code: string; name: string }[]; problems: string[] } {
  const entries: { code: string; name: string }[] = []
  const problems: string[] = []
  for (const raw of text.split(';')) {
    const part = squash(raw)
    if (!part) continue
    const m = /^(\d{5}):(.+)$/.exec(part)
    if (m?.[1] && m[2]) entries.push({ code: m[1], name: squash(m[2]) })
    else problems.push(`cannot read new unit "${part}" (expected "CODE:Name")`)
  }
  return { entries, problems }
}

const Text = z.string().transform(squash)
const Count = z.string().regex(/^\d+$/).transform(Number)
// Leading number of a figure, which may carry a note ("12700 (làm tròn trong nguồn)").
const leadingNumber = (s: string) => {
  const m = /^\s*(\d+(?:\.\d+)?)/.exec(s)
  return m?.[1] ? Number(m[1]) : null
}
const OptionalNumber = z.string().transform(leadingNumber)
const ProvinceCsvRow = z.object({
  code: z.string().regex(/^\d{2}$/),
  name: Text.pipe(z.string().min(1)),
  type: z.enum(['tinh', 'thanh_pho']),
  merged: z.enum(['yes', 'no']),
  merged_from_old_codes: z.string(),
  merged_from_old_names: z.string(),
  commune_level_units: Count,
  phuong: Count,
  xa: Count,
  dac_khu: Count,
  admin_centre_per_60NQTW: Text,
  area_km2_nq202: z.string().transform((s) => ({ value: leadingNumber(s), text: squash(s) })),
  population: OptionalNumber,
  population_basis: Text,
  source: Text,
})
const CommuneCsvRow = z.object({
  code: z.string().regex(/^\d{5}$/),
  name: Text.pipe(z.string().min(1)),
  type: z.enum(['phuong', 'xa', 'dac_khu']),
  stt_in_1027_CTK_CSCL: Count,
  former_province: Text,
  merged_from_old_units: z.string(),
  source: Text,
})
const FormerCommuneCsvRow = z.object({
  old_code: z.string().regex(/^\d{5}$/),
  old_name: Text.pipe(z.string().min(1)),
  old_district_code: z.string().regex(/^\d{3}$/),
  old_district_name: Text.pipe(z.string().min(1)),
  old_province_code: z.string().regex(/^\d{2}$/),
  old_province_name: Text.pipe(z.string().min(1)),
  new_units_after_2025_07_01: z.string(),
  source: Text,
})

/** Reads a CSV file's rows with a schema; bad rows become problems naming file and line. */
export function readCsv<T>(file: string, text: string, schema: z.ZodType<T>, problems: string[]): T[] {
  let records: Record<string, string>[]
  try {
    records = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true, bom: true })
  } catch (e) {
    problems.push(`${file}: not valid CSV: ${e instanceof Error ? e.message : String(e)}`)
    return []
  }
  const out: T[] = []
  records.forEach((r, i) => {
    const parsed = schema.safeParse(r)
    if (parsed.success) out.push(parsed.data)
    else problems.push(`${file} row ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`)
  })
  return out
}

export interface ReferenceFiles {
  provinces: string
  communes: string
  formerCommunes: string
}

export interface OrgReference {
  units: UnitRow[]
  lineage: LineageRow[]
}

const sameName = (a: string, b: string) => squash(a).toLocaleLowerCase('vi') === squash(b).toLocaleLowerCase('vi')

/**
 * Builds the unit rows and the lineage of one merged province from the three reference files:
 * all provinces (current), the province's communes (current), its former communes with their
 * former districts and provinces (historical, ending the day before the reform), and for each
 * former commune its successors. Cross-checks `merged_from_old_units` (current file) against
 * `new_units_after_2025_07_01` (former file) and throws ReferenceDataError on any disagreement.
 */
export function buildOrgReference(files: ReferenceFiles, provinceCode: string): OrgReference {
  const problems: string[] = []
  const provinces = readCsv('provinces.csv', files.provinces, ProvinceCsvRow, problems)
  const communes = readCsv('camau_units.csv', files.communes, CommuneCsvRow, problems)
  const formers = readCsv('camau_baclieu_units_pre2025.csv', files.formerCommunes, FormerCommuneCsvRow, problems)
  const units: UnitRow[] = []
  const lineage: LineageRow[] = []

  // --- current provinces -------------------------------------------------------------------
  const seenProvince = new Set<string>()
  for (const p of provinces) {
    if (seenProvince.has(p.code)) problems.push(`provinces.csv: province code ${p.code} appears twice`)
    seenProvince.add(p.code)
    if (typeFromName(p.name, 'province') !== p.type) problems.push(`provinces.csv: ${p.code} "${p.name}" does not match its type ${p.type}`)
    units.push({
      id: unitIds.province(p.code),
      code: p.code,
      name: p.name,
      type: p.type,
      level: 'province',
      parentId: null,
      provinceCode: p.code,
      validFrom: REFORM_DATE,
      validTo: null,
      extra: {
        mergedFromOldCodes: p.merged_from_old_codes.split(';').filter(Boolean),
        mergedFromOldNames: p.merged_from_old_names.split(';').filter(Boolean),
        communeLevelUnits: p.commune_level_units,
        phuong: p.phuong,
        xa: p.xa,
        dacKhu: p.dac_khu,
        adminCentre: p.admin_centre_per_60NQTW,
        areaKm2: p.area_km2_nq202.value,
        areaText: p.area_km2_nq202.text || null,
        population: p.population,
        populationBasis: p.population_basis,
      },
      source: p.source,
    })
  }
  const province = provinces.find((p) => p.code === provinceCode)
  if (!province) throw new ReferenceDataError([...problems, `provinces.csv: no province with code ${provinceCode}`])
  const provinceId = unitIds.province(provinceCode)

  // --- current communes --------------------------------------------------------------------
  const currentByCode = new Map<string, (typeof communes)[number]>()
  for (const c of communes) {
    if (currentByCode.has(c.code)) problems.push(`camau_units.csv: commune code ${c.code} appears twice`)
    currentByCode.set(c.code, c)
    if (typeFromName(c.name, 'commune') !== c.type) problems.push(`camau_units.csv: ${c.code} "${c.name}" does not match its type ${c.type}`)
    units.push({
      id: unitIds.commune(provinceCode, c.code),
      code: c.code,
      name: c.name,
      type: c.type,
      level: 'commune',
      parentId: provinceId,
      provinceCode,
      validFrom: REFORM_DATE,
      validTo: null,
      extra: { stt1027: c.stt_in_1027_CTK_CSCL, formerProvince: c.former_province },
      source: c.source,
    })
  }
  const counts = { total: communes.length, phuong: 0, xa: 0, dac_khu: 0 }
  for (const c of communes) counts[c.type]++
  const expected = { total: province.commune_level_units, phuong: province.phuong, xa: province.xa, dac_khu: province.dac_khu }
  for (const k of ['total', 'phuong', 'xa', 'dac_khu'] as const) {
    if (counts[k] !== expected[k]) problems.push(`camau_units.csv has ${counts[k]} ${k} but provinces.csv says ${expected[k]} for ${provinceCode}`)
  }

  // --- former provinces, districts and communes --------------------------------------------
  const oldProvinceCodes = new Set(province.merged_from_old_codes.split(';').filter(Boolean))
  const formerProvinces = new Map<string, string>()
  const formerDistricts = new Map<string, { name: string; provinceCode: string }>()
  const formerByCode = new Map<string, (typeof formers)[number]>()
  for (const f of formers) {
    if (formerByCode.has(f.old_code)) problems.push(`camau_baclieu_units_pre2025.csv: commune code ${f.old_code} appears twice`)
    formerByCode.set(f.old_code, f)
    if (!oldProvinceCodes.has(f.old_province_code)) problems.push(`camau_baclieu_units_pre2025.csv: ${f.old_code} is in province ${f.old_province_code}, which was not merged into ${provinceCode}`)
    const p = formerProvinces.get(f.old_province_code)
    if (p !== undefined && p !== f.old_province_name) problems.push(`former province ${f.old_province_code} is named both "${p}" and "${f.old_province_name}"`)
    formerProvinces.set(f.old_province_code, f.old_province_name)
    const d = formerDistricts.get(f.old_district_code)
    if (d && (d.name !== f.old_district_name || d.provinceCode !== f.old_province_code)) {
      problems.push(`former district ${f.old_district_code} is both "${d.name}" (${d.provinceCode}) and "${f.old_district_name}" (${f.old_province_code})`)
    }
    formerDistricts.set(f.old_district_code, { name: f.old_district_name, provinceCode: f.old_province_code })
  }
  const typeOf = (name: string, level: UnitLevel, where: string): UnitType => {
    const t = typeFromName(name, level)
    if (!t) problems.push(`${where}: cannot tell the kind of ${level} "${name}"`)
    return t ?? (level === 'province' ? 'tinh' : level === 'district' ? 'huyen' : 'xa')
  }
  const formerSource = formers[0]?.source ?? 'camau_baclieu_units_pre2025.csv'
  for (const [code, name] of [...formerProvinces].sort(([a], [b]) => a.localeCompare(b))) {
    units.push({ id: unitIds.formerProvince(code), code, name, type: typeOf(name, 'province', 'former province'), level: 'province', parentId: null, provinceCode: code, validFrom: null, validTo: LAST_DAY_BEFORE_REFORM, extra: {}, source: formerSource })
    if (province.merged_from_old_codes.split(';').includes(code)) {
      lineage.push({ predecessorId: unitIds.formerProvince(code), successorId: provinceId, portion: 'whole', effectiveOn: REFORM_DATE, source: province.source })
    }
  }
  for (const [code, d] of [...formerDistricts].sort(([a], [b]) => a.localeCompare(b))) {
    units.push({ id: unitIds.formerDistrict(code), code, name: d.name, type: typeOf(d.name, 'district', 'former district'), level: 'district', parentId: unitIds.formerProvince(d.provinceCode), provinceCode: d.provinceCode, validFrom: null, validTo: LAST_DAY_BEFORE_REFORM, extra: {}, source: formerSource })
  }
  for (const f of [...formers].sort((a, b) => a.old_code.localeCompare(b.old_code))) {
    units.push({ id: unitIds.formerCommune(f.old_code), code: f.old_code, name: f.old_name, type: typeOf(f.old_name, 'commune', `former commune ${f.old_code}`), level: 'commune', parentId: unitIds.formerDistrict(f.old_district_code), provinceCode: f.old_province_code, validFrom: null, validTo: LAST_DAY_BEFORE_REFORM, extra: {}, source: f.source })
  }

  // --- lineage from merged_from_old_units, cross-checked with new_units_after_2025_07_01 -----
  const successorsOf = new Map<string, { code: string; portion: LineagePortion }[]>()
  for (const c of communes) {
    const parsed = parseMergedFrom(c.merged_from_old_units)
    for (const p of parsed.problems) problems.push(`camau_units.csv ${c.code}: ${p}`)
    const seen = new Set<string>()
    for (const e of parsed.entries) {
      const where = `camau_units.csv ${c.code} ${c.name}`
      if (seen.has(e.code)) problems.push(`${where}: former unit ${e.code} is listed twice`)
      seen.add(e.code)
      const f = formerByCode.get(e.code)
      if (!f) {
        problems.push(`${where}: former unit ${e.code} ${e.name} is not in camau_baclieu_units_pre2025.csv`)
        continue
      }
      if (!sameName(f.old_name, e.name)) problems.push(`${where}: former unit ${e.code} is "${e.name}" here but "${f.old_name}" in camau_baclieu_units_pre2025.csv`)
      if (!sameName(f.old_district_name, e.district)) problems.push(`${where}: former unit ${e.code} is in "${e.district}" here but in "${f.old_district_name}" in camau_baclieu_units_pre2025.csv`)
      const list = successorsOf.get(e.code) ?? []
      list.push({ code: c.code, portion: e.portion })
      successorsOf.set(e.code, list)
      lineage.push({ predecessorId: unitIds.formerCommune(e.code), successorId: unitIds.commune(provinceCode, c.code), portion: e.portion, effectiveOn: REFORM_DATE, source: c.source })
    }
  }
  for (const f of formers) {
    const where = `former commune ${f.old_code} ${f.old_name}`
    const fromCurrent = successorsOf.get(f.old_code) ?? []
    const declared = parseNewUnits(f.new_units_after_2025_07_01)
    for (const p of declared.problems) problems.push(`camau_baclieu_units_pre2025.csv ${f.old_code}: ${p}`)
    if (!fromCurrent.length) problems.push(`${where}: no unit of camau_units.csv lists it in merged_from_old_units`)
    const a = fromCurrent.map((s) => s.code).sort()
    const b = declared.entries.map((s) => s.code).sort()
    if (a.join() !== b.join()) {
      problems.push(`${where}: successors ${a.join(', ') || '(none)'} per camau_units.csv but ${b.join(', ') || '(none)'} per camau_baclieu_units_pre2025.csv`)
    }
    for (const d of declared.entries) {
      const cur = currentByCode.get(d.code)
      if (cur && !sameName(cur.name, d.name)) problems.push(`${where}: new unit ${d.code} is "${d.name}" in camau_baclieu_units_pre2025.csv but "${cur.name}" in camau_units.csv`)
    }
    if (fromCurrent.length > 1 && fromCurrent.some((s) => s.portion === 'whole')) {
      problems.push(`${where}: went "toàn bộ" (whole) into one unit yet also into ${fromCurrent.length - 1} other(s)`)
    }
  }

  if (problems.length) throw new ReferenceDataError(problems)
  return { units, lineage }
}

// --- agencies ------------------------------------------------------------------------------

/** Legacy QCVN 102:2016 province part of Cà Mau's agency codes (attested: 000.00.00.H12). */
export const PROVINCE_AGENCY_SUFFIX: Record<string, string> = { '96': 'H12' }

/**
 * A code in the legacy QCVN 102:2016 form `G1G2G3.G4G5.G6G7.H12`: G6G7 numbers a body directly
 * under the province, G4G5 a unit under that body, G1G2G3 a unit one level further down.
 */
export function agencyCode(suffix: string, g6g7: number, g4g5 = 0, g1g2g3 = 0): string {
  if (g6g7 > 99 || g4g5 > 99 || g1g2g3 > 999) throw new RangeError(`agency code slot out of range: ${g1g2g3}.${g4g5}.${g6g7}`)
  return `${String(g1g2g3).padStart(3, '0')}.${String(g4g5).padStart(2, '0')}.${String(g6g7).padStart(2, '0')}.${suffix}`
}

/**
 * Where the agency codes come from. Only `000.00.00.H12` (UBND tỉnh) is attested in public
 * samples; the province has not published the others, so Vì Dân assigns them systematically
 * (DOMAIN §3.2, §14.13: unverified facts are configurable data, never constants):
 *   000.00.00.H12          UBND tỉnh
 *   000.00.01–19.H12       bodies directly under the province (office, departments, police)
 *   000.01.01.H12          TTPVHCC tỉnh, first unit under the office of the UBND tỉnh
 *   000.00.20–99.H12       UBND of each commune, numbered in the order of Công văn 1027/CTK-CSCL
 *   000.01.NN.H12          TTPVHCC of the commune whose UBND is 000.00.NN.H12
 * When the official list arrives, change the codes here (or in the database): the seed updates
 * the rows it owns on the next start.
 */
export const ASSIGNED_CODE_SOURCE =
  'Vì Dân: mã định danh gán tạm theo dạng QCVN 102:2016 (G1G2G3.G4G5.G6G7.H12), chờ danh mục mã chính thức của UBND tỉnh Cà Mau; tên theo cơ cấu tổ chức từ 01/7/2025'

interface ProvincialAgency {
  id: string
  slot: [g6g7: number, g4g5?: number]
  name: string
  shortName: string
  kind: AgencyKind
  parentId: string | null
}

// Other modules refer to these ids; keep them stable.
const PROVINCIAL_AGENCIES: ProvincialAgency[] = [
  { id: 'ubnd-tinh', slot: [0], name: 'Ủy ban nhân dân tỉnh Cà Mau', shortName: 'UBND tỉnh Cà Mau', kind: 'ubnd', parentId: null },
  { id: 'vp-ubnd-tinh', slot: [1], name: 'Văn phòng Ủy ban nhân dân tỉnh Cà Mau', shortName: 'Văn phòng UBND tỉnh', kind: 'van_phong', parentId: 'ubnd-tinh' },
  { id: 'ttpvhcc-tinh', slot: [1, 1], name: 'Trung tâm Phục vụ hành chính công tỉnh Cà Mau', shortName: 'TTPVHCC tỉnh', kind: 'ttpvhcc', parentId: 'vp-ubnd-tinh' },
  { id: 'so-tu-phap', slot: [2], name: 'Sở Tư pháp tỉnh Cà Mau', shortName: 'Sở Tư pháp', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-xay-dung', slot: [3], name: 'Sở Xây dựng tỉnh Cà Mau', shortName: 'Sở Xây dựng', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-nong-nghiep-moi-truong', slot: [4], name: 'Sở Nông nghiệp và Môi trường tỉnh Cà Mau', shortName: 'Sở Nông nghiệp và Môi trường', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-tai-chinh', slot: [5], name: 'Sở Tài chính tỉnh Cà Mau', shortName: 'Sở Tài chính', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-noi-vu', slot: [6], name: 'Sở Nội vụ tỉnh Cà Mau', shortName: 'Sở Nội vụ', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-y-te', slot: [7], name: 'Sở Y tế tỉnh Cà Mau', shortName: 'Sở Y tế', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-giao-duc-dao-tao', slot: [8], name: 'Sở Giáo dục và Đào tạo tỉnh Cà Mau', shortName: 'Sở Giáo dục và Đào tạo', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-cong-thuong', slot: [9], name: 'Sở Công Thương tỉnh Cà Mau', shortName: 'Sở Công Thương', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-van-hoa-the-thao-du-lich', slot: [10], name: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Cà Mau', shortName: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-khoa-hoc-cong-nghe', slot: [11], name: 'Sở Khoa học và Công nghệ tỉnh Cà Mau', shortName: 'Sở Khoa học và Công nghệ', kind: 'so', parentId: 'ubnd-tinh' },
  { id: 'so-dan-toc-ton-giao', slot: [12], name: 'Sở Dân tộc và Tôn giáo tỉnh Cà Mau', shortName: 'Sở Dân tộc và Tôn giáo', kind: 'so', parentId: 'ubnd-tinh' },
  // Vertically managed by the Ministry of Public Security, not by the UBND tỉnh: no parent
  // here, but it receives dossiers in the province's one-stop system, so it has a code.
  { id: 'cong-an-tinh', slot: [13], name: 'Công an tỉnh Cà Mau', shortName: 'Công an tỉnh', kind: 'nganh_doc', parentId: null },
]

/** First G6G7 slot of the commune UBNDs; slots below it are kept for provincial bodies. */
export const FIRST_COMMUNE_SLOT = 20

/** "Phường An Xuyên" → "phường An Xuyên", as it reads after "UBND". */
export const inSentence = (name: string) => name.replace(/^\S+/, (w) => w.toLocaleLowerCase('vi'))

/**
 * The province's agencies: the provincial bodies above, and for each current commune its
 * UBND (`ubnd-xa-<code>`) and its public administration service centre (`ttpvhcc-xa-<code>`).
 */
export function buildAgencies(provinceCode: string, units: UnitRow[]): AgencyRow[] {
  const suffix = PROVINCE_AGENCY_SUFFIX[provinceCode]
  if (!suffix) throw new ReferenceDataError([`no agency code suffix is known for province ${provinceCode}`])
  const provinceId = unitIds.province(provinceCode)
  const communes = units
    .filter((u) => u.level === 'commune' && u.parentId === provinceId && u.validTo === null)
    .sort((a, b) => Number(a.extra['stt1027'] ?? 0) - Number(b.extra['stt1027'] ?? 0) || a.code.localeCompare(b.code))
  if (FIRST_COMMUNE_SLOT + communes.length - 1 > 99) {
    throw new ReferenceDataError([`${communes.length} communes do not fit the G6G7 slots ${FIRST_COMMUNE_SLOT}–99 of the agency code scheme`])
  }
  const base = { level: 'province' as const, unitId: provinceId, validFrom: REFORM_DATE, validTo: null, source: ASSIGNED_CODE_SOURCE }
  const out: AgencyRow[] = PROVINCIAL_AGENCIES.map((a) => ({
    ...base,
    id: a.id,
    code: agencyCode(suffix, a.slot[0], a.slot[1] ?? 0),
    name: a.name,
    shortName: a.shortName,
    kind: a.kind,
    parentId: a.parentId,
  }))
  communes.forEach((c, i) => {
    const slot = FIRST_COMMUNE_SLOT + i
    const ubndId = `ubnd-xa-${c.code}`
    const common = { level: 'commune' as const, unitId: c.id, validFrom: c.validFrom ?? REFORM_DATE, validTo: null, source: ASSIGNED_CODE_SOURCE }
    out.push({ ...common, id: ubndId, code: agencyCode(suffix, slot), name: `Ủy ban nhân dân ${inSentence(c.name)}`, shortName: `UBND ${inSentence(c.name)}`, kind: 'ubnd', parentId: 'ubnd-tinh' })
    out.push({
      ...common,
      id: `ttpvhcc-xa-${c.code}`,
      code: agencyCode(suffix, slot, 1),
      name: `Trung tâm Phục vụ hành chính công ${inSentence(c.name)}`,
      shortName: `TTPVHCC ${inSentence(c.name)}`,
      kind: 'ttpvhcc',
      parentId: ubndId,
    })
  })
  return out
}
