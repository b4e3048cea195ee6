export { citizenIdentityFields } from './CitizenIdentity.js';
export type { CitizenIdentity, PartialDate, Sex, CardType } from './CitizenIdentity.js';
