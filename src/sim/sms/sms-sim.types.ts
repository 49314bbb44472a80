import type { SmsDelivery } from '../../modules/notify/index.js'

export interface SmsSimMessage {
  id: string
  /** 84xxxxxxxxx */
  phone: string
  brandname: string
  text: string
  requestId: string
  type: 'otp' | 'notice'
  at: Date
  status: SmsDelivery
}

export interface SmsSimFaults {
  /** 'error': answer 500 with code 99; 'timeout': hold every answer for `holdMs`; 'none': behave. */
  mode: 'none' | 'error' | 'timeout'
  holdMs: number
}
