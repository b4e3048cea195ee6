export { SmartCitizenError, errorClass, errorFactory, isSmartCitizenError } from './SmartCitizenError.js';
export type { ErrorFactory, PackageErrorClass, PackageErrorOptions } from './SmartCitizenError.js';
export { issue } from './Issue.js';
export type { Issue, IssueSeverity } from './Issue.js';
export { coreErrorCodes } from './coreErrorCodes.js';
export type { CoreErrorCode } from './coreErrorCodes.js';
