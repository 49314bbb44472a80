import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock, type Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { applyProvinceList, draftFromNational, parseNationalRecords, readNationalFile, readProvinceCsv, type ProvinceAssignment, type ProvinceImportReport, type ProvinceRow } from './catalog.import.js'
import type { AgencyAssignment } from './catalog.schemas.js'
import { catalogIsEmpty, currentDrafts, writeDrafts, type VersionDraft } from './catalog.service.js'
import { COMPETENT, legalLimitOf, validateWorkflow, type WorkflowStep } from './catalog.workflow.js'

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/catalog')
/** 102 national records: the 77 of the demo list found nationally, plus neighbours and parser edge cases. */
export const NATIONAL_SAMPLE_FILE = path.join(DATA, 'national-sample.json.gz')
/** The demo province list: data/README §3, 78 procedures. */
export const PROVINCE_LIST_FILE = path.join(DATA, 'procedures.csv')

/**
 * The demo list counts as published when two-tier local government began (1 July 2025, Vietnam
 * time), so "the version in force at" any later instant is defined in demos and tests whatever
 * the machine's clock says.
 */
export const SEED_PUBLISHED_AT = new Date('2025-06-30T17:00:00Z')

// ---- demo assignments -------------------------------------------------------------------------
//
// Cà Mau's own per-procedure list (agency, toàn trình / một phần) was not found (data/README §3:
// online_level is a GAP). For a realistic demo the rules below assign them, by field, the way the
// two-tier government works since 1 July 2025 (Decree 118/2025: commune public-service centres
// receive commune dossiers). They are demo assumptions, replaced by importing the province's
// published list (`vidan catalog import-province`). The online level follows three rules:
//   1. no online channel in the national record → 'none' (the portal offers none);
//   2. the law requires the applicant in person, an on-site inspection, or the original paper
//      → 'partial', with that reason and its legal basis (Decree 224/2026 Art. 14 allows these);
//   3. otherwise → 'full'.

const A = {
  communeUbnd: { ref: '@ubnd-xa', label: 'Ủy ban nhân dân xã, phường nơi có yêu cầu' },
  communeCentre: { ref: '@ttpvhcc-xa', label: 'Trung tâm Phục vụ hành chính công xã, phường' },
  communePolice: { ref: '@cong-an-xa', label: 'Công an xã, phường' },
  justice: { ref: 'so-tu-phap', label: 'Sở Tư pháp tỉnh Cà Mau' },
  construction: { ref: 'so-xay-dung', label: 'Sở Xây dựng tỉnh Cà Mau' },
  environment: { ref: 'so-nong-nghiep-moi-truong', label: 'Sở Nông nghiệp và Môi trường tỉnh Cà Mau (Văn phòng Đăng ký đất đai)' },
  finance: { ref: 'so-tai-chinh', label: 'Sở Tài chính tỉnh Cà Mau (Phòng Đăng ký kinh doanh)' },
  police: { ref: 'cong-an-tinh', label: 'Công an tỉnh Cà Mau' },
  provinceCentre: { ref: 'ttpvhcc-tinh', label: 'Trung tâm Phục vụ hành chính công tỉnh Cà Mau' },
} as const

type Who = { ref: string; label: string }
const agencies = (competent: Who[], receiving: Who[]): AgencyAssignment[] => [
  ...competent.map((a) => ({ ...a, role: 'competent' as const })),
  ...receiving.map((a) => ({ ...a, role: 'receiving' as const })),
]

const PRESENCE = 'Nghị định 224/2026/NĐ-CP, Điều 14 (người yêu cầu phải có mặt)'
const INSPECTION = 'Nghị định 224/2026/NĐ-CP, Điều 14 (pháp luật yêu cầu kiểm tra thực địa)'

/** Procedures the law makes partly online, with the reason published to citizens. */
const PARTIAL: Record<string, { reason: string; basis: string }> = {
  // Hộ tịch: both parties sign the register in person (Luật Hộ tịch 2014, Art. 18 marriage, Art. 25 parentage).
  '1.000894': { reason: 'Hai bên nam, nữ phải cùng có mặt khi đăng ký kết hôn và nhận Giấy chứng nhận kết hôn.', basis: `Luật Hộ tịch 2014, Điều 18; ${PRESENCE}` },
  '1.004746': { reason: 'Hai bên nam, nữ phải cùng có mặt khi đăng ký lại kết hôn.', basis: `Luật Hộ tịch 2014, Điều 18; ${PRESENCE}` },
  '2.000806': { reason: 'Hai bên nam, nữ phải cùng có mặt khi đăng ký kết hôn và nhận Giấy chứng nhận kết hôn.', basis: `Luật Hộ tịch 2014, Điều 38; ${PRESENCE}` },
  '1.001022': { reason: 'Người nhận và người được nhận là cha, mẹ, con phải có mặt khi đăng ký.', basis: `Luật Hộ tịch 2014, Điều 25; ${PRESENCE}` },
  '1.000689': { reason: 'Người nhận và người được nhận là cha, mẹ, con phải có mặt khi đăng ký.', basis: `Luật Hộ tịch 2014, Điều 25; ${PRESENCE}` },
  // Căn cước: portrait, fingerprints and iris are captured at the police station.
  '1.014061': { reason: 'Phải thu nhận ảnh chân dung, vân tay, mống mắt trực tiếp tại cơ quan Công an.', basis: `Luật Căn cước 2023; ${PRESENCE}` },
  '1.014062': { reason: 'Phải thu nhận ảnh chân dung, vân tay, mống mắt trực tiếp tại cơ quan Công an.', basis: `Luật Căn cước 2023; ${PRESENCE}` },
  '1.014063': { reason: 'Phải thu nhận lại ảnh chân dung, sinh trắc học trực tiếp tại cơ quan Công an.', basis: `Luật Căn cước 2023; ${PRESENCE}` },
  '1.014064': { reason: 'Phải thu nhận lại ảnh chân dung, sinh trắc học trực tiếp tại cơ quan Công an.', basis: `Luật Căn cước 2023; ${PRESENCE}` },
  // Construction permits: the licensing body inspects the site while appraising the dossier.
  '1.013225': { reason: 'Cơ quan cấp phép phải kiểm tra thực địa khi thẩm định hồ sơ.', basis: `Luật Xây dựng 2014 (sửa đổi 2020), Điều 102; ${INSPECTION}` },
  '1.013226': { reason: 'Cơ quan cấp phép phải kiểm tra thực địa khi thẩm định hồ sơ.', basis: `Luật Xây dựng 2014 (sửa đổi 2020), Điều 102; ${INSPECTION}` },
  '1.013229': { reason: 'Cơ quan cấp phép phải kiểm tra thực địa khi thẩm định hồ sơ.', basis: `Luật Xây dựng 2014 (sửa đổi 2020), Điều 102; ${INSPECTION}` },
  '1.013236': { reason: 'Cơ quan cấp phép phải kiểm tra thực địa khi thẩm định hồ sơ.', basis: `Luật Xây dựng 2014 (sửa đổi 2020), Điều 102; ${INSPECTION}` },
  // Vehicles: the name of the procedure says "một phần"; the vehicle or the old plate is handed in.
  '1.013076': { reason: 'Phải đưa xe đến kiểm tra hoặc nộp lại biển số, chứng nhận đăng ký cũ.', basis: `Tên thủ tục trên CSDL quốc gia ghi "một phần"; ${PRESENCE}` },
  '1.013079': { reason: 'Phải nộp lại biển số, chứng nhận đăng ký xe cũ khi nhận kết quả.', basis: `Tên thủ tục trên CSDL quốc gia ghi "một phần"; ${PRESENCE}` },
  // Social protection (not in the national file; the Lào Cai portal lists it as một phần).
  '1.014028': { reason: 'Cần xác minh điều kiện hưởng chế độ tại nơi cư trú của người đề nghị.', basis: INSPECTION },
}

/** Certification: the requester signs before the certifying officer (Decree 23/2015). */
const CERTIFY_PARTIAL = { reason: 'Người yêu cầu chứng thực phải ký trước mặt người thực hiện chứng thực.', basis: `Nghị định 23/2015/NĐ-CP; ${PRESENCE}` }
/** Land: the original certificate is surrendered and the office checks on site (Land Law 2024). */
const LAND_PARTIAL = { reason: 'Phải nộp bản gốc Giấy chứng nhận đã cấp; cơ quan đăng ký đất đai kiểm tra thực địa khi cần.', basis: `Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP; ${INSPECTION}` }

function whoFor(row: ProvinceRow, d: VersionDraft): AgencyAssignment[] {
  const commune = d.levels.includes('commune') || d.levels.length === 0
  const province = d.levels.includes('province')
  switch (d.field) {
    case 'Hộ tịch':
      // Civil status: the commune People's Committee decides; the commune centre receives.
      // Copies of extracts are also issued by the provincial Department of Justice.
      return province
        ? agencies([A.justice, A.communeUbnd], [A.provinceCentre, A.communeCentre])
        : agencies([A.communeUbnd], [A.communeCentre])
    case 'Chứng thực':
    case 'Hòa giải ở cơ sở':
    case 'Bảo trợ xã hội':
    case 'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)':
      return agencies([A.communeUbnd], [A.communeCentre])
    case 'Đăng ký, quản lý cư trú':
    case 'Cấp, quản lý căn cước':
    case 'Định danh và xác thực điện tử':
      // Residence and identity: the commune police handles and receives them itself.
      return agencies([A.communePolice], [A.communePolice])
    case 'Lý lịch tư pháp':
    case 'Sát hạch, cấp giấy phép lái xe':
      return agencies([A.police], [A.police])
    case 'Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng':
      return agencies([A.police, A.communePolice], [A.police, A.communePolice])
    case 'Đất đai':
      // Commune-level land decisions stay with the commune; registrations go to the land
      // registration office of the Department of Agriculture and Environment, received by
      // the provincial centre and the commune centres.
      return commune && !province ? agencies([A.communeUbnd], [A.communeCentre]) : agencies([A.environment], [A.provinceCentre, A.communeCentre])
    case 'Đăng ký biện pháp bảo đảm':
      return agencies([A.environment], [A.provinceCentre, A.communeCentre])
    case 'Hoạt động xây dựng':
      // Grade III/IV works and individual houses: the commune; grades special/I/II: the department.
      return province ? agencies([A.construction], [A.provinceCentre]) : agencies([A.communeUbnd], [A.communeCentre])
    case 'Thành lập và hoạt động của doanh nghiệp':
      return agencies([A.finance], [A.provinceCentre])
    default:
      return commune ? agencies([A.communeUbnd], [A.communeCentre]) : agencies([A.provinceCentre], [A.provinceCentre])
  }
}

/** The demo decisions for one row of the province list (see the rules above). */
export function demoRules(row: ProvinceRow, d: VersionDraft): Partial<ProvinceAssignment> {
  const hasOnline = d.content.channels.some((c) => c.channel === 'online')
  const partial = PARTIAL[d.code] ?? (d.field === 'Chứng thực' ? CERTIFY_PARTIAL : d.field === 'Đất đai' ? LAND_PARTIAL : undefined)
  const created = d.content.channels.length === 0 // not in the national file: no channels known
  let onlineLevel: ProvinceAssignment['onlineLevel']
  if (!hasOnline && !created) onlineLevel = 'none'
  else if (/lưu động/iu.test(d.name)) onlineLevel = 'none' // officers travel to the applicant
  else if (partial) onlineLevel = 'partial'
  else onlineLevel = 'full'
  return {
    agencies: whoFor(row, d),
    onlineLevel,
    partialReason: onlineLevel === 'partial' ? (partial?.reason ?? null) : null,
    partialLegalBasis: onlineLevel === 'partial' ? (partial?.basis ?? null) : null,
  }
}

// ---- demo workflow templates (issue 5 §3) ------------------------------------------------------
//
// Two procedures get a multi-agency workflow so the demo shows liên thông; every other procedure
// follows the default (officer handles, leader approves). The budgets are demo assumptions that
// follow the shape the law gives, not a province's published process.

const step = (name: string, kind: WorkflowStep['kind'], agency: string, budget: number, parallel = false): WorkflowStep => ({
  name,
  kind,
  agency,
  role: kind === 'approve' ? 'agency_leader' : 'processing_officer',
  budget,
  parallel,
})

export const DEMO_WORKFLOWS: Record<string, WorkflowStep[]> = {
  // Construction permit, grade special/I/II works (20 days): while appraising, the Department of
  // Construction consults the bodies managing the related fields, each with its own deadline
  // (Luật Xây dựng 2014 sửa đổi 2020, Điều 102; Decree 61 Art. 19(5)): the provincial police on
  // fire safety, the Department of Agriculture and Environment on land use and environment.
  '1.013236': [
    step('Thẩm định hồ sơ, kiểm tra thực địa', 'handle', COMPETENT, 12),
    step('Lấy ý kiến thẩm duyệt phòng cháy, chữa cháy (Công an tỉnh)', 'consult', 'cong-an-tinh', 7, true),
    step('Lấy ý kiến về quy hoạch sử dụng đất, môi trường (Sở Nông nghiệp và Môi trường)', 'consult', 'so-nong-nghiep-moi-truong', 7, true),
    step('Tổng hợp ý kiến, dự thảo giấy phép xây dựng', 'handle', COMPETENT, 5),
    step('Lãnh đạo Sở ký giấy phép xây dựng', 'approve', COMPETENT, 3),
  ],
  // First land-use certificate for a household (27 working days): the commune verifies the land
  // and posts the dossier publicly, then the land registration office of the Department of
  // Agriculture and Environment checks the cadastral records and the financial obligations, and
  // the commune chairman signs (Luật Đất đai 2024; liên thông between levels, Decree 61 Art. 19(7)).
  '1.013978': [
    step('Kiểm tra hồ sơ, xác minh hiện trạng sử dụng đất, niêm yết công khai', 'handle', COMPETENT, 10),
    step('Văn phòng đăng ký đất đai: kiểm tra hồ sơ địa chính, trích lục bản đồ, xác định nghĩa vụ tài chính', 'handle', 'so-nong-nghiep-moi-truong', 10),
    step('Dự thảo Giấy chứng nhận, trình ký', 'handle', COMPETENT, 4),
    step('Chủ tịch UBND xã ký Giấy chứng nhận', 'approve', COMPETENT, 3),
  ],
}

/** Stores the demo templates with the seeded versions; a template that no longer fits its procedure's limit is an error of the demo data. */
async function seedWorkflows(trx: Trx, at: Date): Promise<void> {
  const drafts = await currentDrafts(trx, Object.keys(DEMO_WORKFLOWS))
  const heads = await trx.selectFrom('catalogProcedures').select(['code', 'currentVersion']).where('code', 'in', Object.keys(DEMO_WORKFLOWS)).orderBy('code').execute()
  for (const h of heads) {
    const steps = DEMO_WORKFLOWS[h.code]!
    // The agencies named are provincial bodies of the org reference (org.reference.ts), which may be seeded after the catalogue.
    const known = new Set(steps.map((s) => s.agency))
    const problems = validateWorkflow(steps, legalLimitOf(drafts.get(h.code)!.content), known)
    if (Object.keys(problems).length) throw new Error(`demo workflow of ${h.code}: ${JSON.stringify(problems)}`)
    await trx.insertInto('catalogWorkflows').values({ code: h.code, procedureVersion: h.currentVersion, steps: JSON.stringify(steps), createdAt: at, createdBy: null }).execute()
  }
}

/**
 * Loads the demo catalogue into an empty catalogue: the national sample, then the province list
 * with the demo rules, one version per procedure, in one transaction with batched inserts.
 * A catalogue that already holds procedures is left alone (it is managed by imports and edits).
 */
export async function seedCatalog(db: Db, clock: Clock = systemClock): Promise<ProvinceImportReport | undefined> {
  if (!(await catalogIsEmpty(db))) return undefined
  const { parsed } = parseNationalRecords(readNationalFile(NATIONAL_SAMPLE_FILE))
  const { rows, issues } = readProvinceCsv(fs.readFileSync(PROVINCE_LIST_FILE, 'utf8'))
  const national = new Map(parsed.map((p) => [p.code, draftFromNational(p, undefined)]))
  const listed = new Set(rows.map((r) => r.code))
  return inTransaction(db, async (trx) => {
    const unlisted = [...national.values()].filter((d) => !listed.has(d.code))
    await writeDrafts(trx, unlisted, { source: 'seed', changeNote: 'Mẫu CSDL quốc gia (demo)', createdBy: null, at: clock.now(), publishedAt: SEED_PUBLISHED_AT })
    const report = await applyProvinceList(trx, clock, rows, { base: national, rules: demoRules, source: 'seed', publishedAt: SEED_PUBLISHED_AT, issues })
    await seedWorkflows(trx, clock.now())
    return report
  })
}
