/** Outreach: community digital teams (tổ công nghệ số cộng đồng) per commune, and the consent a citizen gives a member to submit for them. */
import './outreach.tables.js'

/** The module the composition root mounts: pages /ho-tro/nop-thay, /cong-dan/uy-quyen, /admin/to-cong-nghe-so and their API. */
export { outreachModule, type OutreachSettings } from './outreach.routes.js'

/**
 * For the e-form (assisted submission): inside the submitting transaction, `assertActingFor`
 * checks that the member holds a valid consent of this applicant (throws NoConsentError, HTTP 403,
 * with a code per reason: OUTREACH.NOT_A_MEMBER, CONSENT_NOT_FOUND, CONSENT_OTHER_CITIZEN,
 * CONSENT_REVOKED, CONSENT_EXPIRED, CONSENT_USED) and answers who acts for whom;
 * `recordConsentUse` then records the dossier the consent was used for (shown to the citizen).
 */
export { actingConsentOfMember, assertActingFor, recordConsentUse, NoConsentError, type ActingConsent, type ActingForInput } from './consent.service.js'

/** The active membership of a citizen (undefined when they are not a member), for pages that offer assisted mode. */
export { findMembership, type Membership } from './outreach.service.js'

/** What outreach holds about one citizen (memberships, consents given and their uses, requests about them, consents held as member), for their data export. */
export { outreachPersonalData } from './consent.service.js'

/** Demo mode: three demo teams and one demo member (the demo provider's Trần Văn Hùng); idempotent. */
export { seedDemoOutreach, DEMO_MEMBER } from './outreach.service.js'

/** The code rules (length, lifetime, attempts, resend spacing and caps). */
export { OTP_POLICY } from './otp.js'
