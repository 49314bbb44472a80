import type { ProcedureContent } from '../catalog/index.js'

type Fee = ProcedureContent['channels'][number]['fee']
type CatalogChannel = ProcedureContent['channels'][number]['channel']

/** A dossier's channel (dossiers module) → the catalogue's channel rows. */
const CHANNEL_OF: Record<string, CatalogChannel> = { counter: 'in_person', online: 'online', post: 'postal', national_portal: 'online' }

/**
 * The province's rule for fees of dossiers submitted online (DOMAIN B §4 counts online payment;
 * provinces may lower online fees by resolution of the provincial council, as Cà Mau did): a
 * percentage of the catalogue amount, 100 = as published, 0 = exempt, with its legal basis.
 */
export interface OnlineFeePolicy {
  percent: number
  basis: string | null
}

/** What was read and which rule gave the amount: stored with the obligation. */
export interface FeeBasis {
  channel: CatalogChannel
  rule: 'local' | 'channel' | 'other_channels' | 'none_published'
  fees: Fee[]
  onlinePercent: number | null
  onlineBasis: string | null
  /** "/di chúc", "/trang": the published amount is per unit; the obligation is for one unit until an officer says otherwise. */
  perUnit: string | null
}

export type FeeDecision =
  | { kind: 'amount'; amountVnd: number; basis: FeeBasis; text: string }
  | { kind: 'none'; reason: string; basis: FeeBasis }
  | { kind: 'needs_amount'; reason: string; candidates: number[]; basis: FeeBasis }

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đồng`

/** "/di chúc" in a fee note: the amount is per unit. */
function perUnitOf(fees: Fee[]): string | null {
  for (const f of fees) {
    const m = f.note ? /^\s*(\/\s*[\p{L} ]{1,40})\s*$/u.exec(f.note) : null
    if (m?.[1]) return m[1].replace(/\s+/g, ' ')
  }
  return null
}

/**
 * The fee a dossier owes, from the catalogue version it was received under (DOMAIN B §12.2
 * `DanhSachLePhi`; §4 payment indicator): the province's local fee when published, else the rows
 * of the dossier's channel (all rows of the procedure when the channel has none). Rows that agree
 * give the amount; rows that disagree, a fee the provincial council sets, or text that could not
 * be read leave the amount to an officer, with the amounts found as suggestions. Online dossiers
 * then follow the province's online fee rule.
 */
export function decideFee(content: Pick<ProcedureContent, 'channels' | 'local'>, dossierChannel: string, online: OnlineFeePolicy): FeeDecision {
  const channel = CHANNEL_OF[dossierChannel] ?? 'in_person'
  const isOnline = channel === 'online'
  const ofChannel = content.channels.filter((c) => c.channel === channel).map((c) => c.fee)
  let rule: FeeBasis['rule']
  let fees: Fee[]
  if (content.local?.fee) [rule, fees] = ['local', [content.local.fee]]
  else if (ofChannel.length) [rule, fees] = ['channel', ofChannel]
  else if (content.channels.length) [rule, fees] = ['other_channels', content.channels.map((c) => c.fee)]
  else [rule, fees] = ['none_published', []]
  const basis: FeeBasis = { channel, rule, fees, onlinePercent: isOnline ? online.percent : null, onlineBasis: isOnline ? online.basis : null, perUnit: perUnitOf(fees) }

  if (!fees.length) return { kind: 'needs_amount', reason: 'Thủ tục chưa công bố phí, lệ phí; cần cán bộ nhập số tiền (nếu có).', candidates: [], basis }
  const amounts = [...new Set(fees.flatMap((f) => (f.kind === 'amount' ? [f.amountVnd] : [])))].sort((a, b) => a - b)
  if (fees.every((f) => f.kind === 'free') || (amounts.length === 1 && amounts[0] === 0 && fees.every((f) => f.kind === 'amount' || f.kind === 'free'))) {
    return { kind: 'none', reason: 'Thủ tục miễn phí, lệ phí.', basis }
  }
  if (fees.some((f) => f.kind === 'council')) {
    return { kind: 'needs_amount', reason: 'Mức phí, lệ phí do Hội đồng nhân dân tỉnh quyết định; cần cán bộ nhập số tiền theo nghị quyết hiện hành.', candidates: amounts, basis }
  }
  if (fees.some((f) => f.kind === 'unparsed') || amounts.length !== 1 || fees.some((f) => f.kind === 'free')) {
    return { kind: 'needs_amount', reason: 'Mức phí công bố không đọc được hoặc có nhiều mức khác nhau; cần cán bộ nhập số tiền.', candidates: amounts, basis }
  }
  const published = amounts[0]!
  const amount = isOnline ? Math.round((published * online.percent) / 100) : published
  if (amount === 0) return { kind: 'none', reason: `Miễn phí, lệ phí khi nộp trực tuyến${online.basis ? ` (${online.basis})` : ''}.`, basis }
  const unit = basis.perUnit ? `${basis.perUnit} × 1` : ''
  const reduced = isOnline && online.percent !== 100 ? ` (${online.percent}% của ${vnd(published)} khi nộp trực tuyến${online.basis ? `, ${online.basis}` : ''})` : ''
  return { kind: 'amount', amountVnd: amount, basis, text: `${vnd(amount)}${unit}${reduced}` }
}
