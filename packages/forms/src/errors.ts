import { errorClass } from '@smart-citizen/core';

/** Codes of the errors `@smart-citizen/forms` throws on purpose. */
export type FormsErrorCode =
  /** `fillForm` was not given `{ identity, answers }`. */
  | 'forms/invalid-input'
  /** The identity is not an object. */
  | 'forms/invalid-identity'
  /** The answers are not an object. */
  | 'forms/invalid-answers'
  /** A form definition fails its schema. */
  | 'forms/invalid-definition'
  /** A form id and version registered twice. */
  | 'forms/duplicate-form'
  /** No form with this id (and version). */
  | 'forms/unknown-form'
  /** The address database could not be read. */
  | 'forms/address-data-invalid'
  /** The PDF font is missing (browser without `fontBytes`) or cannot be embedded. */
  | 'forms/pdf-font-unavailable'
  | 'forms/pdf-font-invalid';

/**
 * Error thrown by `@smart-citizen/forms` for unusable input or set-up. What a form finds wrong
 * with an identity or the answers (a missing field, a contradiction) comes back as issues.
 */
export class FormsError extends errorClass<FormsErrorCode>('forms', 'FormsError') {}
