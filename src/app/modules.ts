import type { VidanModule } from '../shared/module.js'
import { calendarModule } from '../modules/calendar/index.js'
import { catalogModule } from '../modules/catalog/index.js'
import { dossiersModule } from '../modules/dossiers/index.js'
import { identityModule, type IdentitySettings } from '../modules/identity/index.js'
import { orgModule } from '../modules/org/index.js'
import { onlineModule } from '../modules/online/index.js'
import { paymentsModule, type PaymentSettings } from '../modules/payments/index.js'

/** Every module the application mounts, in dependency order. Add a module here to mount it. */
export function allModules(opts: { identity: IdentitySettings; secureCookies: boolean; payments: PaymentSettings }): VidanModule[] {
  return [orgModule, identityModule(opts.identity, opts.secureCookies), calendarModule, catalogModule, dossiersModule, paymentsModule(opts.payments), onlineModule(opts.payments)]
}
