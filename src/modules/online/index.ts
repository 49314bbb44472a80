/** Online services for citizens: the e-form per procedure (fields as data, drafts), "my dossiers", the document wallet (issue 6 §2, §3). */
import './online.tables.js'

/** The module the composition root mounts: pages /nop-ho-so, /cong-dan/ho-so, /cong-dan/kho-giay-to and the API under /api/v1/citizen. */
export { onlineModule } from './online.routes.js'

/**
 * Submission for someone: the applicant (whose dossier it is) and the actor (the citizen, or a
 * community digital team member with the citizen's recorded consent). The caller checks that
 * consent (issue 6 §5's flow) and passes its reference as `consentRef`, which is recorded with
 * the dossier; the citizen sees "nộp thay bởi …". Every problem of the form is reported at once;
 * nothing is written on error.
 */
export { submitForm, type OnlineActor, type OnlineDeps, type FormPost } from './online.service.js'

/** Seeds: the demo procedures' e-form definitions (reference data of the demo catalogue), and the demo citizens' wallets (demo mode). */
export { seedFormDefinitions } from './wallet.js'
export { seedDemoWallets } from './online.seed.js'

/** Wallet items of a document owner; the B §7.3 reuse status of a wallet source. */
export { listWallet, reuseStatusOf } from './online.service.js'

/** What online services hold about one citizen (their data export). */
export { onlinePersonalData } from './online.service.js'
