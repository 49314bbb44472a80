import { z } from 'zod'

// ---- identifiers ---------------------------------------------------------------------------

/** National procedure code, stored opaque (DOMAIN B §3.3): `1.001193`, local variant `1.014464.H12`. */
export const ProcedureCode = z.string().regex(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/, 'Mã thủ tục có dạng 1.001193 hoặc 1.014464.H12.')
export type ProcedureCode = z.infer<typeof ProcedureCode>

export const LEVELS = ['ministry', 'province', 'commune', 'other'] as const
export const Level = z.enum(LEVELS)
export type Level = z.infer<typeof Level>

export const SUBJECTS = ['citizen', 'business', 'organisation'] as const
export const Subject = z.enum(SUBJECTS)
export type Subject = z.infer<typeof Subject>

/** Decree 42/2022 → Decree 224/2026: full online (toàn trình), partly online (một phần), or not online. */
export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const
export const OnlineLevel = z.enum(ONLINE_LEVELS)
export type OnlineLevel = z.infer<typeof OnlineLevel>

export const CHANNELS = ['online', 'postal', 'in_person'] as const
export const Channel = z.enum(CHANNELS)
export type Channel = z.infer<typeof Channel>

/**
 * An agency reference: an org agency id (`so-tu-phap`, `ubnd-xa-32002`) or a rule that stands
 * for every commune's agency of one kind (`@ubnd-xa`: any commune People's Committee), so a
 * commune-level procedure is one row, not 64.
 */
export const COMMUNE_RULES = ['@ubnd-xa', '@ttpvhcc-xa', '@cong-an-xa'] as const
export const AgencyRef = z.string().regex(/^(@(ubnd-xa|ttpvhcc-xa|cong-an-xa)|[a-z0-9]+(-[a-z0-9]+)*)$/, 'Mã cơ quan không hợp lệ.').max(80)
export type AgencyRef = z.infer<typeof AgencyRef>

export const AgencyAssignment = z.object({
  ref: AgencyRef,
  role: z.enum(['competent', 'receiving']),
  /** The agency's name as published with the procedure, shown when org does not know the id yet. */
  label: z.string().max(300),
})
export type AgencyAssignment = z.infer<typeof AgencyAssignment>

// ---- parsed content (stored as jsonb; parsed again with these schemas when read back) --------

export const TIME_UNITS = ['working_days', 'calendar_days', 'working_hours', 'hours', 'calendar_months'] as const
export const ProcessingTime = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(TIME_UNITS), value: z.number().nonnegative(), original: z.string() }),
  z.object({ kind: z.literal('same_day'), original: z.string() }),
  z.object({ kind: z.literal('unparsed'), original: z.string(), reason: z.string() }),
])
export type ProcessingTime = z.infer<typeof ProcessingTime>

export const Fee = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amountVnd: z.number().int().nonnegative(), original: z.string(), note: z.string().nullable() }),
  z.object({ kind: z.literal('free'), original: z.string(), note: z.string().nullable() }),
  /** "Do Hội đồng nhân dân tỉnh quyết định": the provincial council sets the amount. */
  z.object({ kind: z.literal('council'), original: z.string(), note: z.string().nullable() }),
  z.object({ kind: z.literal('unparsed'), original: z.string(), note: z.string().nullable(), reason: z.string() }),
])
export type Fee = z.infer<typeof Fee>

export const ChannelRow = z.object({
  channel: Channel,
  time: ProcessingTime,
  fee: Fee,
  description: z.string().nullable(),
})
export type ChannelRow = z.infer<typeof ChannelRow>

export const RequiredDocument = z.object({
  name: z.string(),
  /** Originals and copies asked for; 0/0 marks a note the portal lists among documents. */
  originals: z.number().int().nonnegative(),
  copies: z.number().int().nonnegative(),
  /** Template file names as published (the national data carries names, not files). */
  templates: z.array(z.string()),
})
export type RequiredDocument = z.infer<typeof RequiredDocument>

/** A case (trường hợp) or group of documents as the portal lists it. */
export const DocumentCase = z.object({ name: z.string().nullable(), documents: z.array(RequiredDocument) })
export type DocumentCase = z.infer<typeof DocumentCase>

export const LegalBasis = z.object({ code: z.string().nullable(), title: z.string(), effectiveFrom: z.string().nullable() })
export type LegalBasis = z.infer<typeof LegalBasis>

export const ResultDocument = z.object({ name: z.string(), code: z.string().nullable() })
export type ResultDocument = z.infer<typeof ResultDocument>

/** Everything a version says beyond its indexed columns. Originals sit beside parsed values. */
export const ProcedureContent = z.object({
  decisionNo: z.string().nullable(),
  procedureType: z.string().nullable(),
  subjectLabels: z.array(z.string()),
  channels: z.array(ChannelRow),
  cases: z.array(DocumentCase),
  steps: z.array(z.string()),
  legalBases: z.array(LegalBasis),
  results: z.array(ResultDocument),
  conditions: z.string().nullable(),
  /** Agencies as the national record names them (bodies of any province, not ids). */
  nationalAgencyText: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  original: z.object({
    levels: z.string(),
    subjects: z.string(),
    channels: z.string(),
    documents: z.string(),
    steps: z.string(),
    legalBases: z.string(),
    results: z.string(),
  }),
  /** Local changes from the province's published list (time and fee per channel). */
  local: z
    .object({
      time: ProcessingTime.nullable(),
      fee: Fee.nullable(),
      note: z.string().nullable(),
    })
    .nullable(),
})
export type ProcedureContent = z.infer<typeof ProcedureContent>

// ---- API -----------------------------------------------------------------------------------

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v)

export const SearchQuery = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200, 'Từ khóa tối đa 200 ký tự.').optional()),
  field: z.preprocess(emptyToUndefined, z.string().max(300).optional()),
  level: z.preprocess(emptyToUndefined, Level.optional()),
  agency: z.preprocess(emptyToUndefined, AgencyRef.optional()),
  subject: z.preprocess(emptyToUndefined, Subject.optional()),
  online: z.preprocess(emptyToUndefined, OnlineLevel.optional()),
  /** `province` (default): procedures that apply in this province; `national`: the whole national catalogue. */
  scope: z.preprocess(emptyToUndefined, z.enum(['province', 'national']).default('province')),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(20)),
})
export type SearchQuery = z.infer<typeof SearchQuery>

export const ProcedureSummaryDto = z.object({
  code: z.string(),
  name: z.string(),
  field: z.string(),
  levels: z.array(Level),
  subjects: z.array(Subject),
  onlineLevel: OnlineLevel.nullable(),
  inProvince: z.boolean(),
  version: z.number().int(),
})
export type ProcedureSummaryDto = z.infer<typeof ProcedureSummaryDto>

export const FacetValue = z.object({ value: z.string(), label: z.string(), count: z.number().int() })
export const SearchResultDto = z.object({
  items: z.array(ProcedureSummaryDto),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  facets: z.object({
    field: z.array(FacetValue),
    level: z.array(FacetValue),
    agency: z.array(FacetValue),
    subject: z.array(FacetValue),
    online: z.array(FacetValue),
  }),
})
export type SearchResultDto = z.infer<typeof SearchResultDto>
export type FacetValue = z.infer<typeof FacetValue>

export const AgencyDto = z.object({
  ref: z.string(),
  role: z.enum(['competent', 'receiving']),
  /** The organisation's name for the agency, else the label published with the procedure. */
  name: z.string(),
  /** The agency's name as published with this version. */
  label: z.string(),
  knownToOrg: z.boolean(),
})

export const ProcedureDto = z.object({
  code: z.string(),
  version: z.number().int(),
  latestVersion: z.number().int(),
  name: z.string(),
  field: z.string(),
  levels: z.array(Level),
  subjects: z.array(Subject),
  inProvince: z.boolean(),
  onlineLevel: OnlineLevel.nullable(),
  partialReason: z.string().nullable(),
  partialLegalBasis: z.string().nullable(),
  agencies: z.array(AgencyDto),
  publishedAt: z.string(),
  duePublishBy: z.string().nullable(),
  source: z.string(),
  changeNote: z.string().nullable(),
  content: ProcedureContent,
  /** Set when an administrator unpublished the procedure: it no longer applies and takes no dossiers. */
  unpublishedAt: z.string().nullable(),
  unpublishedReason: z.string().nullable(),
})
export type ProcedureDto = z.infer<typeof ProcedureDto>

export const VersionSummaryDto = z.object({
  version: z.number().int(),
  name: z.string(),
  onlineLevel: OnlineLevel.nullable(),
  publishedAt: z.string(),
  duePublishBy: z.string().nullable(),
  publishedOnTime: z.boolean().nullable(),
  source: z.string(),
  changeNote: z.string().nullable(),
  createdBy: z.string().nullable(),
})

/** What an administrator may change in one edit; every edit publishes a new version. */
export const ProcedureEdit = z.object({
  expectedVersion: z.number().int().min(1),
  changeNote: z.string().trim().min(3, 'Cần ghi nội dung thay đổi.').max(500),
  name: z.string().trim().min(3).max(1200).optional(),
  field: z.string().trim().min(2).max(300).optional(),
  onlineLevel: OnlineLevel.nullable().optional(),
  partialReason: z.string().trim().max(1000).nullable().optional(),
  partialLegalBasis: z.string().trim().max(500).nullable().optional(),
  agencies: z.array(AgencyAssignment).max(20).optional(),
  conditions: z.string().trim().max(20000).nullable().optional(),
  localTime: ProcessingTime.nullable().optional(),
  localFee: Fee.nullable().optional(),
  duePublishBy: z.iso.datetime({ offset: true }).nullable().optional(),
  levels: z.array(Level).min(1, 'Chọn ít nhất một cấp thực hiện.').max(4).optional(),
  subjects: z.array(Subject).max(3).optional(),
  channels: z.array(ChannelRow).max(12, 'Tối đa 12 dòng thời hạn và phí.').optional(),
  cases: z
    .array(
      DocumentCase.extend({
        name: z.string().trim().max(1000).nullable(),
        documents: z
          .array(
            RequiredDocument.extend({
              name: z.string().trim().min(1, 'Cần nhập tên giấy tờ.').max(6000),
              originals: z.number().int().min(0).max(99, 'Tối đa 99 bản.'),
              copies: z.number().int().min(0).max(99, 'Tối đa 99 bản.'),
              templates: z.array(z.string().trim().min(1).max(300)).max(20),
            }),
          )
          .max(100),
      }),
    )
    .max(30)
    .optional(),
  legalBases: z
    .array(LegalBasis.extend({ title: z.string().trim().min(3, 'Cần nhập tên văn bản.').max(2000), code: z.string().trim().max(100).nullable(), effectiveFrom: z.iso.date().nullable() }))
    .max(60)
    .optional(),
})
export type ProcedureEdit = z.infer<typeof ProcedureEdit>

/** Unpublishing takes the procedure off the portal (it no longer applies here); a reason is required. */
export const UnpublishInput = z.object({
  expectedVersion: z.number().int().min(1),
  reason: z.string().trim().min(5, 'Cần ghi lý do ngừng công bố (ít nhất 5 ký tự).').max(1000),
})
export type UnpublishInput = z.infer<typeof UnpublishInput>

export const PublishInput = z.object({
  expectedVersion: z.number().int().min(1),
  note: z.string().trim().max(1000).optional(),
})
export type PublishInput = z.infer<typeof PublishInput>

export const AUDIT_ACTIONS = ['edit', 'publish', 'unpublish', 'national_import', 'province_import', 'seed'] as const
export const AuditAction = z.enum(AUDIT_ACTIONS)

export const AuditEntryDto = z.object({
  id: z.number().int(),
  at: z.string(),
  action: AuditAction,
  code: z.string().nullable(),
  version: z.number().int().nullable(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})
export type AuditEntryDto = z.infer<typeof AuditEntryDto>

const DiffPart = z.object({ value: z.string(), added: z.boolean(), removed: z.boolean() })
export const FieldChangeDto = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['value', 'text', 'list']),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** `text`: the words of before and after, each part kept, added or removed. */
  parts: z.array(DiffPart).optional(),
  /** `list`: one entry per line; a changed line carries its word diff. */
  lines: z.array(z.object({ op: z.enum(['same', 'added', 'removed', 'changed']), text: z.string(), parts: z.array(DiffPart).optional() })).optional(),
})
export type FieldChangeDto = z.infer<typeof FieldChangeDto>
