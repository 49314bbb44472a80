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

/** `vidan payments reconcile`: runs a subcommand, returns the exit code. */
export { runPaymentsCommand, PAYMENTS_USAGE } from './payment.cli.js'

/**
 * The platform's protocol (messages, MaXacThuc, time stamps, statement columns), shared with the
 * simulator (src/sim/payment) so both sides sign and check alike.
 */
export { gatewayDay, InitMessage, maXacThuc, OK_CODE, PROTOCOL_VERSION, QueryMessage, RESULT_CODES, STATEMENT_COLUMNS, TXN_STATE, verifyMaXacThuc, type ReceiptInfo } from './payment.protocol.js'
/** A pdfmake document as PDF bytes with the Vietnamese fonts of official documents. */
export { renderPdf } from './payment.receipt.js'
/** The fees and payment attempts of some dossiers (a citizen's own data export). */
export { paymentsOfDossiers } from './payment.personal-data.js'
