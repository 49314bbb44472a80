import { setupPglite } from './global-setup-shared.js'

export default setupPglite
