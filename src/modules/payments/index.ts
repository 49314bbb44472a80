/** Payments: fee obligations per dossier, online payment through the national platform, counter payments, receipts, reconciliation. */
import './payment.tables.js'

/** The module the composition root mounts, with its settings from configuration. */
export { paymentsModule } from './payment.routes.js'
export type { PaymentSettings, PaymentDeps } from './payment.service.js'

/**
 * The service, for other pages that let a payer pay (the citizen's "my dossiers"): a dossier's
 * obligations (created from the catalogue on first need), starting an online payment (answers
 * the gateway URL to send the payer to), and where a payment stands after the payer returns.
 */
export { obligationsOfDossier, startOnlinePayment, intentAfterReturn, recordCounterPayment, stateAmount } from './payment.service.js'

/** The payment gateway port and the national platform's adapter. */
export { nationalGateway, type PaymentGateway, type NationalGatewayConfig } from './payment.gateway.js'

/** `vidan sim payment`: a simulator of the national payment platform on its own port (development, tests, demo). */
export { startPaymentSimulator, type PaymentSimulator, type SimPartner, type SimFaults } from './sim/payment-sim.js'

/** `vidan payments reconcile`: runs a subcommand, returns the exit code. */
export { runPaymentsCommand, runPaymentSimulatorCommand, PAYMENTS_USAGE } from './payment.cli.js'
