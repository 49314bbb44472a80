/** Webhooks for integrators: subscriptions per agency or procedure to dossier events, HMAC-SHA256-signed deliveries with retries, a delivery log (docs/WEBHOOKS.md). */
import './webhooks.tables.js'
export { webhooksModule } from './webhooks.routes.js'
/** The steps of the background jobs (tests, drills) and the topics one may subscribe to. */
export { planWebhookDeliveries, sendDueWebhooks, WEBHOOK_TOPICS, type WebhookDeps } from './webhooks.service.js'
/** Signing as the sender does it; receivers verify with the recipe in docs/WEBHOOKS.md. */
export { signWebhook, SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS } from './webhooks.signature.js'
