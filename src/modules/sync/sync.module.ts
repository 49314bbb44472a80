import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { httpNationalPortal, type NationalPortal, type PortalSettings } from './sync.portal.js'
import { portalSubscriber, pullPortalSubmissions, type SyncDeps } from './sync.service.js'

/**
 * The sync module: the outbox subscriber that sends dossier events to the national portal and
 * the job that takes in dossiers submitted there. Without settings (no VIDAN_NATIONAL_PORTAL_URL)
 * it does nothing.
 */
export function syncModule(settings: PortalSettings | undefined, portal?: NationalPortal): VidanModule {
  const depsOf = (m: ModuleDeps): SyncDeps | undefined => {
    const p = portal ?? (settings ? httpNationalPortal(settings) : undefined)
    return p ? { db: m.db, clock: m.clock, provinceCode: m.provinceCode, portal: p } : undefined
  }
  return {
    name: 'sync',
    register() {},
    subscribers(m) {
      const deps = depsOf(m)
      return deps ? [portalSubscriber(deps)] : []
    },
    jobs(m) {
      const deps = depsOf(m)
      return deps ? [{ name: 'sync.portal-intake', everyMs: 60_000, run: () => pullPortalSubmissions(deps) }] : []
    },
  }
}
