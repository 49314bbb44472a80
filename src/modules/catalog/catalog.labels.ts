import type { Lang } from '../../shared/i18n.js'
import type { Channel, Fee, Level, OnlineLevel, ProcessingTime, Subject } from './catalog.schemas.js'

type Pair = { vi: string; en: string }

export const LEVEL_LABELS: Record<Level, Pair> = {
  ministry: { vi: 'Cấp bộ', en: 'Ministry' },
  province: { vi: 'Cấp tỉnh', en: 'Province' },
  commune: { vi: 'Cấp xã', en: 'Commune' },
  other: { vi: 'Cơ quan khác', en: 'Other bodies' },
}

export const SUBJECT_LABELS: Record<Subject, Pair> = {
  citizen: { vi: 'Cá nhân', en: 'Individuals' },
  business: { vi: 'Doanh nghiệp, hợp tác xã', en: 'Businesses and cooperatives' },
  organisation: { vi: 'Tổ chức', en: 'Organisations' },
}

export const ONLINE_LABELS: Record<OnlineLevel, Pair> = {
  full: { vi: 'Trực tuyến toàn trình', en: 'Fully online' },
  partial: { vi: 'Trực tuyến một phần', en: 'Partly online' },
  none: { vi: 'Chỉ nộp trực tiếp hoặc qua bưu chính', en: 'In person or by post only' },
}

export const CHANNEL_LABELS: Record<Channel, Pair> = {
  online: { vi: 'Trực tuyến', en: 'Online' },
  postal: { vi: 'Qua bưu chính', en: 'By post' },
  in_person: { vi: 'Trực tiếp', en: 'In person' },
}

export const RULE_LABELS: Record<string, Pair> = {
  '@ubnd-xa': { vi: 'Ủy ban nhân dân xã, phường nơi có yêu cầu', en: "The commune's People's Committee" },
  '@ttpvhcc-xa': { vi: 'Trung tâm Phục vụ hành chính công xã, phường', en: "The commune's public service centre" },
  '@cong-an-xa': { vi: 'Công an xã, phường', en: 'The commune police' },
}

const pick = (p: Pair, lang: Lang) => (lang === 'en' ? p.en : p.vi)

/** Label of a facet value (agency names come from org or the published labels instead). */
export function facetLabel(dim: 'field' | 'level' | 'agency' | 'subject' | 'online', value: string, lang: Lang): string {
  if (dim === 'level' && value in LEVEL_LABELS) return pick(LEVEL_LABELS[value as Level], lang)
  if (dim === 'subject' && value in SUBJECT_LABELS) return pick(SUBJECT_LABELS[value as Subject], lang)
  if (dim === 'online' && value in ONLINE_LABELS) return pick(ONLINE_LABELS[value as OnlineLevel], lang)
  if (dim === 'agency' && value in RULE_LABELS) return pick(RULE_LABELS[value] as Pair, lang)
  return value
}

export function levelLabel(l: Level, lang: Lang) {
  return pick(LEVEL_LABELS[l], lang)
}
export function subjectLabel(s: Subject, lang: Lang) {
  return pick(SUBJECT_LABELS[s], lang)
}
export function onlineLabel(o: OnlineLevel, lang: Lang) {
  return pick(ONLINE_LABELS[o], lang)
}
export function channelLabel(c: Channel, lang: Lang) {
  return pick(CHANNEL_LABELS[c], lang)
}

const vnd = new Intl.NumberFormat('vi-VN')

/** "7 ngày làm việc"; an unparsed value is shown as published. */
export function timeText(t: ProcessingTime, lang: Lang): string {
  switch (t.kind) {
    case 'working_days':
      return lang === 'en' ? `${t.value} working days` : `${t.value} ngày làm việc`
    case 'calendar_days':
      return lang === 'en' ? `${t.value} days` : `${t.value} ngày`
    case 'working_hours':
      return lang === 'en' ? `${t.value} working hours` : `${t.value} giờ làm việc`
    case 'hours':
      return lang === 'en' ? `${t.value} hours` : `${t.value} giờ`
    case 'calendar_months':
      return lang === 'en' ? `${t.value} months` : `${t.value} tháng`
    case 'same_day':
      return lang === 'en' ? 'Within the day' : 'Trong ngày'
    case 'unparsed':
      if (t.reason === 'number without a unit') return lang === 'en' ? `${t.original} (unit not stated)` : `${t.original} (không ghi đơn vị)`
      if (t.reason === 'no information') return lang === 'en' ? 'Not stated' : 'Chưa có thông tin'
      return t.original
  }
}

/** "50.000 đồng", "Miễn phí", "Do HĐND tỉnh quyết định"; an unparsed value is shown as published. */
export function feeText(f: Fee, lang: Lang): string {
  switch (f.kind) {
    case 'amount':
      return `${vnd.format(f.amountVnd)} ${lang === 'en' ? 'VND' : 'đồng'}`
    case 'free':
      return lang === 'en' ? 'Free' : 'Miễn phí'
    case 'council':
      return lang === 'en' ? 'Set by the provincial council' : 'Theo mức Hội đồng nhân dân tỉnh quyết định'
    case 'unparsed':
      if (f.reason === 'no information' || f.reason === 'no fee value') return lang === 'en' ? 'Not stated' : 'Chưa có thông tin'
      return f.original
  }
}
