/**
 * Notify: messages to citizens and officers. For now the SMS port and the brandname gateway's
 * adapter (outreach sends consent codes through it); e-mail and templated messages come later.
 */

/** The SMS port, the brandname gateway's HTTP adapter, the "not configured" sender and the coded errors. */
export { httpSmsSender, noSmsSender, SmsInvalidNumberError, SmsRefusedError, SmsUnavailableError, type SmsGatewayConfig, type SmsSender, type SmsStatus } from './sms.gateway.js'
/**
 * The gateway's protocol (paths, key header, result codes, message shapes) shared with the
 * simulator (src/sim/sms), a Vietnamese mobile number's normal form, and the ASCII folding of text.
 */
export { normalizeVnMobile, SMS_API_KEY_HEADER, SMS_CODES, SMS_DELIVERY, SMS_MAX_LENGTH, SMS_PATHS, SmsSendRequest, toSmsText, type SmsCode, type SmsDelivery } from './sms.protocol.js'
