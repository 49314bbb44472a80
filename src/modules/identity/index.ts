/** Identity: staff accounts, password login, server-side sessions, access guards. */
export { createStaffAuth, identityModule } from './identity.routes.js'
export { createAccount, disableDemoAccounts, findStaffMember, listActiveStaff, type IdentitySettings } from './identity.service.js'
export { seedDemoStaff, type DemoCredential } from './identity.seed.js'
/** Structure check of a 12-digit personal identity number (DOMAIN A10; no checksum exists). */
export { parseIdentityNumber, type IdentityNumberInfo } from './identity-number.js'
