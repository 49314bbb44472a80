/**
 * The bundled demo identity provider ("VNeID mô phỏng"): a real OpenID Connect provider with
 * demo citizens, for development, tests and the demo. Never mounted in production mode.
 */
export { DemoIdpRefusedError, registerDemoIdp, startDemoIdp, type DemoIdpOptions } from './demo-idp.js'
export { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS, type DemoCitizen } from './demo-citizens.js'
