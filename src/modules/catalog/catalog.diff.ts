import { diffArrays, diffWords, type ChangeObject } from 'diff'
import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { channelLabel, feeText, levelLabel, onlineLabel, RULE_LABELS, subjectLabel, timeText } from './catalog.labels.js'
import type { FieldChangeDto, ProcedureContent, ProcedureDto } from './catalog.schemas.js'

/** What a version says, as far as a reader compares two of them (a ProcedureDto fits). */
export type DiffSide = Pick<ProcedureDto, 'name' | 'field' | 'levels' | 'subjects' | 'inProvince' | 'onlineLevel' | 'partialReason' | 'partialLegalBasis' | 'duePublishBy' | 'content'> & {
  agencies: { ref: string; role: 'competent' | 'receiving'; name: string }[]
}

type Part = { value: string; added: boolean; removed: boolean }
type Line = NonNullable<FieldChangeDto['lines']>[number]

interface Spec {
  key: string
  label: [vi: string, en: string]
  kind: FieldChangeDto['kind']
  /** The field as the reader sees it: one string (value, text) or one line per item (list). */
  show: (s: DiffSide, lang: Lang) => string | null | string[]
}

const orNull = (s: string | null | undefined) => (s && s.trim() ? s : null)

function agencyLine(a: DiffSide['agencies'][number], lang: Lang): string {
  const rule = RULE_LABELS[a.ref]
  const name = rule ? tr(lang, rule.vi, rule.en) : a.name
  return `${a.role === 'competent' ? tr(lang, 'Giải quyết', 'Decides') : tr(lang, 'Tiếp nhận', 'Receives')}: ${name} (${a.ref})`
}

function documentLine(caseName: string | null, d: ProcedureContent['cases'][number]['documents'][number], lang: Lang): string {
  const counts = tr(lang, `${d.originals} bản chính, ${d.copies} bản sao`, `${d.originals} originals, ${d.copies} copies`)
  const forms = d.templates.length ? ` — ${tr(lang, 'mẫu', 'forms')}: ${d.templates.join('; ')}` : ''
  return `${caseName ? `[${caseName}] ` : ''}${d.name} — ${counts}${forms}`
}

/** Every field a reader can compare, in the order of the procedure page. */
const SPECS: Spec[] = [
  { key: 'name', label: ['Tên thủ tục', 'Name'], kind: 'text', show: (s) => s.name },
  { key: 'field', label: ['Lĩnh vực', 'Field'], kind: 'text', show: (s) => s.field },
  { key: 'levels', label: ['Cấp thực hiện', 'Levels'], kind: 'value', show: (s, l) => s.levels.map((x) => levelLabel(x, l)).join(', ') || null },
  { key: 'subjects', label: ['Đối tượng', 'Who applies'], kind: 'value', show: (s, l) => s.subjects.map((x) => subjectLabel(x, l)).join(', ') || null },
  { key: 'inProvince', label: ['Áp dụng tại tỉnh', 'Applies in the province'], kind: 'value', show: (s, l) => (s.inProvince ? tr(l, 'Có', 'Yes') : tr(l, 'Không', 'No')) },
  { key: 'onlineLevel', label: ['Mức độ trực tuyến', 'Online level'], kind: 'value', show: (s, l) => (s.onlineLevel ? onlineLabel(s.onlineLevel, l) : null) },
  { key: 'partialReason', label: ['Lý do chỉ trực tuyến một phần', 'Why only partly online'], kind: 'text', show: (s) => orNull(s.partialReason) },
  { key: 'partialLegalBasis', label: ['Căn cứ chỉ trực tuyến một phần', 'Legal basis for partly online'], kind: 'text', show: (s) => orNull(s.partialLegalBasis) },
  { key: 'agencies', label: ['Cơ quan', 'Agencies'], kind: 'list', show: (s, l) => s.agencies.map((a) => agencyLine(a, l)) },
  {
    key: 'channels',
    label: ['Thời hạn và phí theo hình thức nộp', 'Time limit and fees per channel'],
    kind: 'list',
    show: (s, l) =>
      s.content.channels.map(
        (c) => `${channelLabel(c.channel, l)}: ${timeText(c.time, l)}; ${feeText(c.fee, l)}${c.fee.note ? ` (${c.fee.note})` : ''}${c.description ? ` — ${c.description}` : ''}`,
      ),
  },
  {
    key: 'local',
    label: ['Thời hạn, phí tại tỉnh', 'Local time limit and fee'],
    kind: 'value',
    show: (s, l) => {
      const x = s.content.local
      if (!x || (!x.time && !x.fee && !x.note)) return null
      return [x.time ? timeText(x.time, l) : null, x.fee ? feeText(x.fee, l) : null, x.note].filter(Boolean).join('; ')
    },
  },
  { key: 'cases', label: ['Thành phần hồ sơ', 'Documents'], kind: 'list', show: (s, l) => s.content.cases.flatMap((c) => c.documents.map((d) => documentLine(c.name, d, l))) },
  {
    key: 'legalBases',
    label: ['Căn cứ pháp lý', 'Legal basis'],
    kind: 'list',
    show: (s, l) => s.content.legalBases.map((b) => `${b.code && b.code !== b.title ? `${b.code}: ` : ''}${b.title}${b.effectiveFrom ? ` (${tr(l, 'hiệu lực từ', 'in force from')} ${b.effectiveFrom})` : ''}`),
  },
  { key: 'conditions', label: ['Yêu cầu, điều kiện', 'Conditions'], kind: 'text', show: (s) => orNull(s.content.conditions) },
  { key: 'steps', label: ['Trình tự thực hiện', 'Steps'], kind: 'list', show: (s) => s.content.steps },
  { key: 'results', label: ['Kết quả', 'Results'], kind: 'list', show: (s) => s.content.results.map((r) => `${r.name}${r.code ? ` (${r.code})` : ''}`) },
  { key: 'decisionNo', label: ['Quyết định công bố', 'Publishing decision'], kind: 'text', show: (s) => orNull(s.content.decisionNo) },
  { key: 'duePublishBy', label: ['Hạn công bố', 'Due for publication by'], kind: 'value', show: (s) => (s.duePublishBy ? formatVnDateTime(new Date(s.duePublishBy)) : null) },
  { key: 'procedureType', label: ['Loại thủ tục', 'Procedure type'], kind: 'text', show: (s) => orNull(s.content.procedureType) },
  { key: 'subjectLabels', label: ['Đối tượng (nguyên văn)', 'Who applies (as published)'], kind: 'list', show: (s) => s.content.subjectLabels },
  { key: 'nationalAgencyText', label: ['Cơ quan (nguyên văn CSDL quốc gia)', 'Agencies (national text)'], kind: 'text', show: (s) => orNull(s.content.nationalAgencyText) },
  { key: 'sourceUrl', label: ['Nguồn', 'Source'], kind: 'value', show: (s) => orNull(s.content.sourceUrl) },
  ...(['levels', 'subjects', 'channels', 'documents', 'steps', 'legalBases', 'results'] as const).map(
    (k): Spec => ({ key: `original.${k}`, label: [`Nguyên văn CSDL quốc gia (${k})`, `National text (${k})`], kind: 'text', show: (s) => orNull(s.content.original[k]) }),
  ),
]

/** Above this many edits (or this long to compute) a word diff is not readable anyway: show old and new whole. */
const MAX_EDIT = 1000
const MAX_MS = 200

const asParts = (changes: ChangeObject<string>[]): Part[] => changes.map((c) => ({ value: c.value, added: c.added, removed: c.removed }))

/** Words of `a` and `b`, each kept, removed or added; undefined when the texts differ too much to read as a diff. */
export function wordDiff(a: string, b: string): Part[] | undefined {
  const changes = diffWords(a, b, { maxEditLength: MAX_EDIT, timeout: MAX_MS })
  return changes ? asParts(changes) : undefined
}

/** Share of the characters two texts keep in common, by their word diff. */
function kept(parts: Part[], a: string, b: string): number {
  const same = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.value.trim().length, 0)
  return same / Math.max(1, Math.max(a.length, b.length))
}

/**
 * Lines of two lists as a reader follows them: kept, removed, added, or changed (a removed line
 * followed by an added one that keeps at least half of its words, shown word by word).
 */
export function lineDiff(before: string[], after: string[]): Line[] {
  const out: Line[] = []
  const chunks = diffArrays(before, after)
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!
    if (!c.added && !c.removed) {
      for (const text of c.value) out.push({ op: 'same', text })
      continue
    }
    const next = chunks[i + 1]
    if (c.removed && next?.added) {
      const removed = c.value
      const added = next.value
      const n = Math.max(removed.length, added.length)
      for (let k = 0; k < n; k++) {
        const a = removed[k]
        const b = added[k]
        if (a !== undefined && b !== undefined) {
          const parts = wordDiff(a, b)
          if (parts && kept(parts, a, b) >= 0.5) {
            out.push({ op: 'changed', text: b, parts })
            continue
          }
        }
        if (a !== undefined) out.push({ op: 'removed', text: a })
        if (b !== undefined) out.push({ op: 'added', text: b })
      }
      i++
      continue
    }
    for (const text of c.value) out.push({ op: c.added ? 'added' : 'removed', text })
  }
  return out
}

const joined = (v: string | null | string[]) => (Array.isArray(v) ? (v.length ? v.join('\n') : null) : v)

/**
 * The fields that differ between two versions, each with its label in the reader's language,
 * its value before and after, and for texts and lists the words or lines that changed.
 */
export function diffVersions(before: DiffSide, after: DiffSide, lang: Lang = 'vi', detail = true): FieldChangeDto[] {
  const changes: FieldChangeDto[] = []
  for (const spec of SPECS) {
    const a = spec.show(before, lang)
    const b = spec.show(after, lang)
    const ja = joined(a)
    const jb = joined(b)
    if (ja === jb) continue
    const change: FieldChangeDto = { key: spec.key, label: tr(lang, ...spec.label), kind: spec.kind, before: ja, after: jb }
    if (!detail) {
      changes.push(change)
      continue
    }
    if (spec.kind === 'text' && ja !== null && jb !== null) {
      const parts = wordDiff(ja, jb)
      if (parts) change.parts = parts
    }
    if (spec.kind === 'list') change.lines = lineDiff(Array.isArray(a) ? a : [], Array.isArray(b) ? b : [])
    changes.push(change)
  }
  return changes
}

/** The keys of the fields that differ (what an audit row records of an edit). */
export function changedFields(before: DiffSide, after: DiffSide): string[] {
  return diffVersions(before, after, 'vi', false).map((c) => c.key)
}

/** Labels of field keys, for pages that show an audit row's list of changed fields. */
export function fieldLabel(key: string, lang: Lang): string {
  const spec = SPECS.find((s) => s.key === key)
  return spec ? tr(lang, ...spec.label) : key
}
