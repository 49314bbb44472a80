/**
 * A simulator of the national payment platform (DOMAIN B §12.3) for development, tests and the
 * demo, on its own port: it stands in for an outside system and speaks its protocol, so Vì Dân
 * reaches it through the same adapter as the real platform. Never part of production.
 */
export { startPaymentSimulator, type PaymentSimulator, type PaymentSimulatorOptions, type SimPartner, type SimTransaction } from './payment-sim.js'
export { NO_FAULTS, type SimFaults } from './payment-sim.faults.js'
/** `vidan sim payment`: starts the simulator; returns it (the caller keeps the process alive) or an exit code. */
export { runPaymentSimulatorCommand, SIM_USAGE } from './payment-sim.cli.js'
