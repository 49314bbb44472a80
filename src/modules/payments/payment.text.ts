import { tr, type Lang } from '../../shared/i18n.js'
import { RESULT_CODES } from './payment.protocol.js'
import type { IntentRow, ObligationRow } from './payment.repo.js'

export const OBLIGATION_LABELS: Record<ObligationRow['status'], { vi: string; en: string }> = {
  needs_amount: { vi: 'Chờ cơ quan xác định số tiền', en: 'Amount to be set by the agency' },
  due: { vi: 'Chưa nộp', en: 'Not paid' },
  pending: { vi: 'Đang chờ kết quả thanh toán', en: 'Waiting for the payment result' },
  paid: { vi: 'Đã nộp', en: 'Paid' },
  refused: { vi: 'Thanh toán không thành công, có thể nộp lại', en: 'Payment failed; may pay again' },
  expired: { vi: 'Giao dịch quá thời gian chờ, có thể nộp lại', en: 'Payment timed out; may pay again' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
}

export const METHOD_LABELS: Record<IntentRow['method'], { vi: string; en: string }> = {
  online: { vi: 'Trực tuyến', en: 'Online' },
  cash: { vi: 'Tiền mặt', en: 'Cash' },
  transfer: { vi: 'Chuyển khoản', en: 'Bank transfer' },
}

export const INTENT_LABELS: Record<IntentRow['status'], { vi: string; en: string }> = {
  pending: { vi: 'Đang chờ', en: 'Pending' },
  paid: { vi: 'Thành công', en: 'Paid' },
  refused: { vi: 'Bị từ chối', en: 'Refused' },
  expired: { vi: 'Quá thời gian chờ', en: 'Timed out' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
}

export const CHANNEL_LABELS: Record<string, { vi: string; en: string }> = {
  counter: { vi: 'Trực tiếp tại bộ phận một cửa', en: 'In person at the counter' },
  online: { vi: 'Trực tuyến', en: 'Online' },
  post: { vi: 'Bưu chính', en: 'Post' },
  national_portal: { vi: 'Cổng Dịch vụ công quốc gia', en: 'National portal' },
}

export type Tone = 'ok' | 'info' | 'warn' | 'error'

/** What a payer is told about one payment attempt: clear, in Vietnamese, and what to do next. */
export function intentMessage(i: Pick<IntentRow, 'status' | 'late' | 'refundNeeded' | 'errorCode'>, lang: Lang, receiptNo?: string): { tone: Tone; text: string } {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  switch (i.status) {
    case 'paid':
      if (i.refundNeeded) return { tone: 'warn', text: t('Khoản phí này đã được thanh toán bằng một giao dịch khác. Số tiền của giao dịch này sẽ được hoàn trả; bạn không cần làm gì thêm.', 'This fee had already been paid by another payment. The money of this payment will be refunded; nothing more to do.') }
      if (i.late) return { tone: 'ok', text: t(`Cổng thanh toán đã xác nhận giao dịch sau thời gian chờ. Khoản phí đã được ghi nhận là đã nộp${receiptNo ? `, biên lai số ${receiptNo}` : ''}; bạn không cần thanh toán lại.`, `The gateway confirmed the payment after the waiting time. The fee is recorded as paid${receiptNo ? `, receipt ${receiptNo}` : ''}; do not pay again.`) }
      return { tone: 'ok', text: t(`Thanh toán thành công. Khoản phí đã được ghi nhận${receiptNo ? `; biên lai điện tử số ${receiptNo}` : ''}.`, `Payment successful. The fee is recorded${receiptNo ? `; electronic receipt ${receiptNo}` : ''}.`) }
    case 'refused': {
      const why = i.errorCode ? (RESULT_CODES[i.errorCode] ?? `mã ${i.errorCode}`) : ''
      return { tone: 'error', text: t(`Thanh toán không thành công${why ? ` (${why.toLocaleLowerCase('vi')})` : ''}. Bạn chưa bị trừ tiền; bạn có thể thanh toán lại.`, `Payment failed${why ? ` (${why})` : ''}. You were not charged; you may pay again.`) }
    }
    case 'expired':
      return { tone: 'warn', text: t('Giao dịch đã quá thời gian chờ mà cổng thanh toán chưa xác nhận. Nếu tài khoản của bạn đã bị trừ tiền, hệ thống sẽ tự ghi nhận khi cổng thanh toán xác nhận, đừng thanh toán lại; nếu chưa bị trừ tiền, bạn có thể thanh toán lại.', 'The payment timed out before the gateway confirmed it. If your account was charged, it will be recorded when the gateway confirms, so do not pay again; if not, you may pay again.') }
    case 'cancelled':
      return { tone: 'info', text: t('Giao dịch đã bị hủy trước khi thanh toán. Bạn chưa bị trừ tiền.', 'The payment was cancelled before paying. You were not charged.') }
    case 'pending':
      return { tone: 'info', text: t('Đang chờ cổng thanh toán xác nhận kết quả. Vui lòng tải lại trang sau ít phút; không thanh toán lại.', 'Waiting for the gateway to confirm. Reload this page in a few minutes; do not pay again.') }
  }
}

export const vnd = (n: number | null) => (n === null ? '—' : `${n.toLocaleString('vi-VN')} đồng`)
