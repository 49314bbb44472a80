/** Notify: messages to applicants from Vietnamese templates (received, supplement, apology, result, rating), by e-mail, SMS and in-app, with delivery status and per-citizen preferences; the SMS port and gateway adapter (outreach sends consent codes through it). */
import './notify.tables.js'
export { notifyModule, maskRecipient, MESSAGES_PATH, type NotifySettings } from './notify.routes.js'
/** The e-mail channel (SMTP, nodemailer). */
export { smtpSender, SendError, type EmailSender, type SmtpSettings } from './notify.channels.js'
/** The in-app messages of a dossier or a citizen ("my dossiers" shows them), and the jobs' steps for tests and drills. */
export { inAppMessagesOf, inAppMessagesOfDossier, notifyPersonalData, planNotifications, sendDueNotifications, type InAppMessage, type NotifyDeps } from './notify.service.js'
export { renderMessage, TEMPLATES, TEMPLATE_LABELS, type TemplateKey } from './notify.templates.js'
/** The SMS port, the brandname gateway's HTTP adapter, the "not configured" sender and the coded errors. */
export { httpSmsSender, noSmsSender, SmsInvalidNumberError, SmsRefusedError, SmsUnavailableError, type SmsGatewayConfig, type SmsSender, type SmsStatus } from './sms.gateway.js'
/**
 * The gateway's protocol (paths, key header, result codes, message shapes) shared with the
 * simulator (src/sim/sms), a Vietnamese mobile number's normal form, and the ASCII folding of text.
 */
export { normalizeVnMobile, SMS_API_KEY_HEADER, SMS_CODES, SMS_DELIVERY, SMS_MAX_LENGTH, SMS_PATHS, SmsSendRequest, toSmsText, type SmsCode, type SmsDelivery } from './sms.protocol.js'
