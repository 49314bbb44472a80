/** Dossiers: the lifecycle, counter and online intake, handling steps, the legal clock, apologies, audit, public tracking. */
export { dossiersModule } from './dossier.routes.js'
/** Checks every dossier's event hash chain; names the first broken link. */
export { verifyAllChains, type AuditReport } from './dossier.audit-verify.js'
/** The lifecycle as data (statuses, actions, national status codes). */
export { DOSSIER_ACTIONS, DOSSIER_STATUSES, NATIONAL_STATUS_CODE, STATUS_LABELS, type DossierAction, type DossierStatus } from './dossier.machine.js'
/** Demo dossiers in every state, for demo mode. */
export { seedDemoDossiers } from './dossier.seed.js'
