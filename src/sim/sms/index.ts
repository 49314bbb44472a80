/**
 * A simulator of an SMS brandname gateway for development, tests and the demo, on its own port:
 * the same protocol as the real gateway (src/modules/notify), an inbox per phone on a page and as
 * JSON, faults on demand. Never part of production.
 */
export { startSmsSimulator, type SmsSimFaults, type SmsSimMessage, type SmsSimulator, type SmsSimulatorOptions } from './sms-sim.js'
/** `vidan sim sms`: starts the simulator; returns it (the caller keeps the process alive) or an exit code. */
export { runSmsSimulatorCommand, SMS_SIM_USAGE } from './sms-sim.cli.js'
