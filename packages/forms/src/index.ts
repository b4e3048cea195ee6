// Public API of @smart-citizen/forms: form definitions (data), the registry, filling from a
// card, validation with Vietnamese and English messages, address normalisation across the
// 2025 reorganisation, and the outputs (JSON, HTML fill; PDF in `@smart-citizen/forms/pdf`).
export { FormRegistry, createFormRegistry, defaultFormRegistry } from './registry/FormRegistry.js';
export type { FormRegistryOptions, FormSummary, RegisteredForm } from './registry/FormRegistry.js';
export { builtinForms } from './registry/builtinForms.js';
export { fillForm } from './fill/fillForm.js';
export type { FillFormOptions, FillInput, FillResult, FormAnswers, MissingField } from './fill/fillForm.js';
export { checkIdentity } from './fill/checkIdentity.js';
export type { IdentityCheck } from './fill/checkIdentity.js';
export { validateFormData } from './validate/validateFormData.js';
export type { ValidateFormDataOptions } from './validate/validateFormData.js';
export { formFormats, isVnDate, isVnFullDate, isVnName, isVnPersonalId, isVnPhone } from './validate/formats.js';
export { keywordMessages, formatMessages } from './validate/messages.js';
export { AddressNormalizer } from './address/AddressNormalizer.js';
export type {
  AddressNormalization,
  AddressNormalizationStatus,
  AddressNormalizerOptions,
  CurrentUnit,
} from './address/AddressNormalizer.js';
export { defaultAddressNormalizer } from './address/defaultAddressNormalizer.js';
export { splitAddress, formatAddressLine, MAX_ADDRESS_LENGTH } from './address/splitAddress.js';
export type { AddressParts } from './address/splitAddress.js';
export { readAddressTables, loadAddressTables } from './address/addressDatabase.js';
export type {
  AddressTables,
  AddressDatabaseItem,
  AddressDatabaseMapping,
  AddressDatabaseProvince,
  AddressDatabaseWard,
} from './address/addressDatabase.js';
// PDF output (pdf-lib) is the subpath `@smart-citizen/forms/pdf`, so browser bundles of this
// entry stay free of it.
export { fillHtmlForm, htmlMappingFromFields } from './html/fillHtmlForm.js';
export type {
  FillHtmlFormOptions,
  FillHtmlFormResult,
  HtmlFieldMapping,
  HtmlFieldTarget,
  HtmlFillSkipReason,
} from './html/fillHtmlForm.js';
export { numberToVietnameseWords } from './numberToWords.js';
export type { FormIssue } from './FormIssue.js';
export type {
  AddressValue,
  CrossFieldRule,
  FieldDefinition,
  FieldSource,
  FieldTransform,
  FormDefinition,
  LayoutBlock,
  LegalSource,
  LocalizedText,
  MappingCondition,
  PrintLayout,
} from './FormDefinition.js';
export { FormsError } from './errors.js';
export type { FormsErrorCode } from './errors.js';
