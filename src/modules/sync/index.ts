/** Sync with the National Public Service Portal: dossier events out (through the outbox dispatcher), portal submissions in, reconciliation. */
import './sync.tables.js'

/** The module the composition root mounts, with the portal's settings (none: sync off). */
export { syncModule } from './sync.module.js'
/** The portal port and its HTTP adapter. */
export { httpNationalPortal, type NationalPortal, type PortalResult, type PortalSettings } from './sync.portal.js'
/** The subscriber, intake from the portal, and the 766 indicator 1.4 figure ("synced on time"). */
export { deliverToPortal, portalSubscriber, pullPortalSubmissions, syncPunctuality, PORTAL_SUBSCRIBER, DOSSIER_TOPICS, type SyncDeps, type IntakeReport } from './sync.service.js'
/** Per dossier, our status and events against the portal's view; every difference. */
export { reconcileWithPortal, diffEvents, type ReconcileReport, type Difference, type DifferenceKind } from './sync.reconcile.js'
/** `vidan sync reconcile | intake`. */
export { runSyncCommand, SYNC_USAGE } from './sync.cli.js'
/**
 * The portal's protocol (B §12.2: record and event schemas, paths, answers, times, signature),
 * shared with the simulator (src/sim/national-portal) so both sides check alike.
 */
export { PORTAL_PATHS, PortalDossier, PortalEvent, PortalProgress, PortalSubmission, PortalView, portalTime, fromPortalTime, eventKey, signRequest, verifySignature, ALREADY_EXISTS } from './sync.protocol.js'
