export { citizenIdentityFields } from './CitizenIdentity.js';
export type { CitizenIdentity, PartialDate, Sex, CardType } from './CitizenIdentity.js';
export { checkCitizenIdentity, cardTypes } from './checkCitizenIdentity.js';
export type { CitizenIdentityCheck, IdentityFieldIssue, IdentityFieldProblem } from './checkCitizenIdentity.js';
