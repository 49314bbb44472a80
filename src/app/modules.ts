import type { VidanModule } from '../shared/module.js'
import { calendarModule } from '../modules/calendar/index.js'
import { catalogModule } from '../modules/catalog/index.js'
import { dossiersModule } from '../modules/dossiers/index.js'
import { identityModule, type IdentitySettings } from '../modules/identity/index.js'
import { orgModule } from '../modules/org/index.js'
import { notifyModule, type NotifySettings } from '../modules/notify/index.js'
import { onlineModule } from '../modules/online/index.js'
import { outreachModule, type OutreachSettings } from '../modules/outreach/index.js'
import { privacyModule } from '../modules/privacy/index.js'
import { paymentsModule, type PaymentSettings } from '../modules/payments/index.js'
import { syncModule, type PortalSettings } from '../modules/sync/index.js'
import { webhooksModule } from '../modules/webhooks/index.js'

/** Every module the application mounts, in dependency order. Add a module here to mount it. */
export function allModules(opts: { identity: IdentitySettings; secureCookies: boolean; payments: PaymentSettings; notify: NotifySettings; outreach: OutreachSettings; nationalPortal?: PortalSettings | undefined }): VidanModule[] {
  return [
    orgModule,
    identityModule(opts.identity, opts.secureCookies),
    calendarModule,
    catalogModule,
    dossiersModule,
    paymentsModule(opts.payments),
    onlineModule(opts.payments),
    syncModule(opts.nationalPortal),
    notifyModule(opts.notify),
    webhooksModule,
    outreachModule(opts.outreach),
    privacyModule,
  ]
}
