import { formatVnDateTime } from '../../shared/i18n.js'
import { toSmsText } from './sms.protocol.js'

/** The messages an applicant receives, and the dossier events that trigger them (issue 7 §3). */
export const TEMPLATES = ['received', 'supplement', 'apology', 'result_ready', 'rate_invitation'] as const
export type TemplateKey = (typeof TEMPLATES)[number]

export const TEMPLATE_OF_TOPIC: Readonly<Record<string, TemplateKey>> = {
  'dossier.receive': 'received',
  'dossier.request_supplement_intake': 'supplement',
  'dossier.request_supplement': 'supplement',
  'dossier.approve_apology': 'apology',
  'dossier.approve': 'result_ready',
  'dossier.reject': 'result_ready',
  'dossier.return_result': 'rate_invitation',
}

export const TEMPLATE_LABELS: Readonly<Record<TemplateKey, string>> = {
  received: 'Tiếp nhận hồ sơ',
  supplement: 'Yêu cầu bổ sung hồ sơ',
  apology: 'Thư xin lỗi, hẹn lại ngày trả kết quả',
  result_ready: 'Có kết quả giải quyết',
  rate_invitation: 'Mời đánh giá mức độ hài lòng',
}

/** What a message is made of: read from the event (as of the event) and the dossier. */
export interface MessageContext {
  code: string
  procedureName: string
  applicantName: string
  agencyName: string
  appointmentAt: Date | null
  missing: readonly string[]
  reason: string | null
  decision: 'approved' | 'rejected' | null
  /** The public tracking page of this dossier. */
  trackingUrl: string
}

export interface RenderedMessage {
  subject: string
  /** The full text (e-mail body, in-app message). */
  text: string
  /** The short text for SMS, without diacritics (brandname SMS are sent unaccented, 160 characters a part). */
  sms: string
}

/** Renders one template; pure, so every wording is tested without sending anything. */
export function renderMessage(template: TemplateKey, c: MessageContext): RenderedMessage {
  const when = c.appointmentAt ? formatVnDateTime(c.appointmentAt) : null
  const head = `Kính gửi ${c.applicantName},`
  const foot = `Tra cứu hồ sơ: ${c.trackingUrl}\n${c.agencyName}`
  const lines = (...ls: (string | null | false)[]) => ls.filter((l): l is string => typeof l === 'string').join('\n')
  switch (template) {
    case 'received':
      return {
        subject: `Đã tiếp nhận hồ sơ ${c.code}`,
        text: lines(head, '', `${c.agencyName} đã tiếp nhận hồ sơ "${c.procedureName}" của Ông/Bà.`, `Mã hồ sơ: ${c.code}`, when && `Ngày hẹn trả kết quả: ${when}`, '', foot),
        sms: toSmsText(`Ho so ${c.code} da duoc tiep nhan.${when ? ` Hen tra ket qua: ${when}.` : ''} Tra cuu: ${c.trackingUrl}`),
      }
    case 'supplement':
      return {
        subject: `Hồ sơ ${c.code} cần bổ sung`,
        text: lines(
          head,
          '',
          `Hồ sơ "${c.procedureName}" (mã ${c.code}) cần được bổ sung, hoàn thiện. Giấy tờ cần bổ sung:`,
          ...(c.missing.length ? c.missing.map((m) => `- ${m}`) : ['- (xem chi tiết tại trang tra cứu)']),
          c.reason && `Lý do: ${c.reason}`,
          '',
          foot,
        ),
        sms: toSmsText(`Ho so ${c.code} can bo sung ${c.missing.length || ''} giay to. Chi tiet: ${c.trackingUrl}`.replace('  ', ' ')),
      }
    case 'apology':
      return {
        subject: `Thư xin lỗi về hồ sơ ${c.code}`,
        text: lines(head, '', `${c.agencyName} xin lỗi Ông/Bà vì hồ sơ "${c.procedureName}" (mã ${c.code}) chưa được giải quyết đúng hẹn.`, c.reason && `Lý do: ${c.reason}`, when && `Ngày hẹn trả kết quả mới: ${when}`, '', foot),
        sms: toSmsText(`Xin loi: ho so ${c.code} tre hen.${when ? ` Hen moi: ${when}.` : ''} Chi tiet: ${c.trackingUrl}`),
      }
    case 'result_ready':
      return {
        subject: `Hồ sơ ${c.code} đã có kết quả`,
        text: lines(
          head,
          '',
          `Hồ sơ "${c.procedureName}" (mã ${c.code}) đã có kết quả giải quyết${c.decision === 'rejected' ? ' (không chấp thuận, có văn bản nêu rõ lý do)' : ''}.`,
          'Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký.',
          '',
          foot,
        ),
        sms: toSmsText(`Ho so ${c.code} da co ket qua. Moi Ong/Ba nhan ket qua. Chi tiet: ${c.trackingUrl}`),
      }
    case 'rate_invitation':
      return {
        subject: `Mời đánh giá việc giải quyết hồ sơ ${c.code}`,
        text: lines(head, '', `Hồ sơ "${c.procedureName}" (mã ${c.code}) đã được trả kết quả.`, 'Mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết thủ tục hành chính tại trang tra cứu hồ sơ.', '', foot),
        sms: toSmsText(`Ho so ${c.code} da tra ket qua. Moi danh gia muc do hai long: ${c.trackingUrl}`),
      }
  }
}
