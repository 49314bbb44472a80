/** Identity: staff accounts, password login, citizen login through an identity provider (OIDC), server-side sessions, access guards. */
export { createStaffAuth, identityModule } from './identity.routes.js'
export { createAccount, disableDemoAccounts, findStaffMember, listActiveStaff, type IdentitySettings } from './identity.service.js'
export { seedDemoStaff, type DemoCredential } from './identity.seed.js'
/** Structure check of a 12-digit personal identity number (DOMAIN A10; no checksum exists). */
export { parseIdentityNumber, type IdentityNumberInfo } from './identity-number.js'
/** The identity provider citizens log in with (issuer, client, callback, scopes). */
export type { CitizenLoginSettings } from './citizen-login.js'
/** A citizen's data as last received from the identity provider (personal data: never log it; mask it in lists). */
export { findCitizen, findCitizenByIdentityNumber, getCitizen, type CitizenView } from './citizen.service.js'
/** Masks for lists and pages: "096*****1234", "091******56". */
export { maskIdentityNumber, maskPhone } from './citizen-claims.js'
/** Everything identity holds about one citizen (their own data export). */
export { citizenPersonalData } from './citizen.personal-data.js'
