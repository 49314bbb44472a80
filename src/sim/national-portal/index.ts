/**
 * A simulator of the National Public Service Portal's case sync (DOMAIN B §12.2) for development,
 * tests and drills, on its own port: strict validation, storage per dossier, faults on demand,
 * dossiers offered for intake. Never part of production.
 */
export { startNationalPortalSimulator, sampleSubmission, NO_PORTAL_FAULTS, type PortalSimulator, type PortalFaults, type PortalSimStats, type SimDossier } from './portal-sim.js'
/** `vidan sim national-portal`: starts the simulator; returns it (the caller keeps the process alive) or an exit code. */
export { runPortalSimulatorCommand, PORTAL_SIM_USAGE } from './portal-sim.cli.js'
