// Public API of @smart-citizen/forms: form definitions (data), the registry, filling from a
// card, validation with Vietnamese and English messages, address normalisation across the
// 2025 reorganisation, and the outputs (JSON, HTML fill; PDF in `@smart-citizen/forms/pdf`).
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './registry/FormRegistry.js';
export * from './registry/builtinForms.js';
export * from './fill/fillForm.js';
export * from './fill/checkIdentity.js';
export * from './validate/validateFormData.js';
export * from './validate/formats.js';
export { keywordMessages, formatMessages } from './validate/messages.js';
export * from './address/AddressNormalizer.js';
export * from './address/defaultAddressNormalizer.js';
export * from './address/splitAddress.js';
export * from './address/addressDatabase.js';
// PDF output (pdf-lib) is the subpath `@smart-citizen/forms/pdf`, so browser bundles of this
// entry stay free of it.
export * from './html/fillHtmlForm.js';
export * from './numberToWords.js';
export type { FormIssue } from './FormIssue.js';
export * from './FormDefinition.js';
export * from './errors.js';
