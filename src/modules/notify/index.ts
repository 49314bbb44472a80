/** Notify: messages to applicants from Vietnamese templates (received, supplement, apology, result, rating), by e-mail, SMS and in-app, with delivery status and per-citizen preferences. */
import './notify.tables.js'
export { notifyModule, maskRecipient, MESSAGES_PATH, type NotifySettings } from './notify.routes.js'
/** The channels: SMTP e-mail (nodemailer), and the port an SMS gateway adapter implements. */
export { smtpSender, SendError, type EmailSender, type SmsPort, type SmtpSettings } from './notify.channels.js'
/** The in-app messages of a dossier or a citizen ("my dossiers" shows them), and the jobs' steps for tests and drills. */
export { inAppMessagesOf, inAppMessagesOfDossier, planPendingNotifications, sendDueNotifications, type InAppMessage, type NotifyDeps } from './notify.service.js'
export { renderMessage, TEMPLATES, TEMPLATE_LABELS, type TemplateKey } from './notify.templates.js'
