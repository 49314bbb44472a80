import { ConflictError } from '../../shared/errors.js'

/**
 * Dossier statuses (DOMAIN B §2.3.2, A8). Each maps to one national-portal status code
 * (B §2.3.1); internal sub-states map to the nearest code.
 */
export const DOSSIER_STATUSES = [
  'submitted',
  'awaiting_supplement_intake',
  'received',
  'refused',
  'processing',
  'awaiting_supplement',
  'awaiting_payment',
  'withdrawn',
  'stopped',
  'decided',
  'returned',
] as const
export type DossierStatus = (typeof DOSSIER_STATUSES)[number]

/** National Public Service Portal status code of each status (B §2.3.1). */
export const NATIONAL_STATUS_CODE: Record<DossierStatus, number> = {
  submitted: 1,
  awaiting_supplement_intake: 5,
  received: 2,
  refused: 3,
  processing: 4,
  awaiting_supplement: 5,
  awaiting_payment: 6,
  withdrawn: 7,
  stopped: 8,
  decided: 9,
  returned: 10,
}

export const STATUS_LABELS: Record<DossierStatus, { vi: string; en: string }> = {
  submitted: { vi: 'Mới đăng ký, chờ tiếp nhận', en: 'Submitted, awaiting receipt' },
  awaiting_supplement_intake: { vi: 'Chờ bổ sung trước khi tiếp nhận', en: 'Awaiting supplement before receipt' },
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  refused: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  processing: { vi: 'Đang xử lý', en: 'Processing' },
  awaiting_supplement: { vi: 'Yêu cầu bổ sung giấy tờ', en: 'Supplement requested' },
  awaiting_payment: { vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Awaiting payment' },
  withdrawn: { vi: 'Công dân rút hồ sơ', en: 'Withdrawn by the applicant' },
  stopped: { vi: 'Dừng xử lý', en: 'Processing stopped' },
  decided: { vi: 'Đã xử lý xong, chờ trả kết quả', en: 'Decided, awaiting return' },
  returned: { vi: 'Đã trả kết quả', en: 'Result returned' },
}

export const TERMINAL_STATUSES: readonly DossierStatus[] = ['refused', 'withdrawn', 'stopped', 'returned']

const OPEN: DossierStatus[] = ['submitted', 'awaiting_supplement_intake', 'received', 'processing', 'awaiting_supplement', 'awaiting_payment', 'decided']

/** Everything that can happen to a dossier. Actions that keep the status use `to: 'same'`. */
export const DOSSIER_ACTIONS = [
  'submit',
  'request_supplement_intake',
  'supplement_intake',
  'refuse',
  'receive',
  'assign',
  'reassign',
  'transfer',
  'consult',
  'answer_consultation',
  'submit_for_approval',
  'request_supplement',
  'receive_supplement',
  'request_payment',
  'confirm_payment',
  'approve',
  'reject',
  'return_result',
  'withdraw',
  'stop',
  'draft_apology',
  'approve_apology',
  'return_apology',
  'mark_at_risk',
  'mark_late',
  'recompute_due',
  'attach_file',
] as const
export type DossierAction = (typeof DOSSIER_ACTIONS)[number]

export interface Rule {
  from: readonly DossierStatus[]
  to: DossierStatus | 'same'
  /** The law requires a reason (refusal, supplement, apology, stop: B §2.3.2). */
  reasonRequired: boolean
}

const r = (from: readonly DossierStatus[], to: DossierStatus | 'same', reasonRequired = false): Rule => ({ from, to, reasonRequired })

/** The one transition table. `satisfies` makes the compiler flag a missing action. */
export const RULES = {
  submit: r([], 'submitted'),
  request_supplement_intake: r(['submitted'], 'awaiting_supplement_intake', true),
  supplement_intake: r(['awaiting_supplement_intake'], 'submitted'),
  refuse: r(['submitted', 'awaiting_supplement_intake'], 'refused', true),
  receive: r(['submitted'], 'received'),
  assign: r(['received'], 'processing'),
  reassign: r(['processing'], 'same', true),
  transfer: r(['received', 'processing'], 'same', true),
  consult: r(['processing'], 'same'),
  answer_consultation: r(['processing'], 'same'),
  submit_for_approval: r(['processing'], 'same'),
  request_supplement: r(['processing'], 'awaiting_supplement', true),
  receive_supplement: r(['awaiting_supplement'], 'processing'),
  request_payment: r(['processing'], 'awaiting_payment', true),
  confirm_payment: r(['awaiting_payment'], 'processing'),
  approve: r(['processing'], 'decided'),
  reject: r(['processing'], 'decided', true),
  return_result: r(['decided'], 'returned'),
  withdraw: r(OPEN, 'withdrawn'),
  stop: r(OPEN, 'stopped', true),
  draft_apology: r(['received', 'processing', 'awaiting_supplement', 'awaiting_payment'], 'same', true),
  approve_apology: r(['received', 'processing', 'awaiting_supplement', 'awaiting_payment'], 'same'),
  return_apology: r(['received', 'processing', 'awaiting_supplement', 'awaiting_payment'], 'same', true),
  mark_at_risk: r(['received', 'processing', 'awaiting_payment'], 'same'),
  mark_late: r(['received', 'processing', 'awaiting_payment'], 'same'),
  recompute_due: r(['received', 'processing', 'awaiting_supplement', 'awaiting_payment'], 'same', true),
  // Scans while the papers are at hand, results until they are returned; per kind in dossier.files.ts.
  attach_file: r(['submitted', 'awaiting_supplement_intake', 'received', 'processing', 'awaiting_supplement', 'decided'], 'same'),
} as const satisfies Record<DossierAction, Rule>

export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly current: DossierStatus,
    readonly action: DossierAction,
  ) {
    super('DOSSIER.INVALID_TRANSITION', `Không thể thực hiện "${action}" khi hồ sơ ở trạng thái "${STATUS_LABELS[current].vi}".`, {
      status: current,
      action,
      allowedActions: allowedActions(current),
    })
  }
}

/** The status after `action`, or InvalidTransitionError naming the allowed actions. */
export function nextStatus(current: DossierStatus, action: DossierAction): DossierStatus {
  const rule: Rule = RULES[action]
  if (!rule.from.includes(current)) throw new InvalidTransitionError(current, action)
  return rule.to === 'same' ? current : rule.to
}

/** Actions the lifecycle allows from a status (roles are checked elsewhere). */
export function allowedActions(current: DossierStatus): DossierAction[] {
  return DOSSIER_ACTIONS.filter((a) => (RULES[a]).from.includes(current))
}

export function isTerminal(s: DossierStatus): boolean {
  return TERMINAL_STATUSES.includes(s)
}
