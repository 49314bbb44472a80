/** Identity: staff accounts, password login, server-side sessions, access guards. */
export { createStaffAuth, identityModule } from './identity.routes.js'
export { createAccount, disableDemoAccounts, type IdentitySettings } from './identity.service.js'
export { seedDemoStaff, type DemoCredential } from './identity.seed.js'
