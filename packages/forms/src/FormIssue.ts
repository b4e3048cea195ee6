import type { Issue } from '@smart-citizen/core';

/**
 * A problem found while filling or validating a form: a core {@link Issue} (English
 * `message`, stable `code`, dotted `path`) plus the same message in Vietnamese.
 * Messages never contain personal data, only field names and limits.
 */
export interface FormIssue extends Issue {
  /** The message in Vietnamese. */
  messageVi: string;
}

/** @internal */
export function formIssue(
  code: string,
  severity: Issue['severity'],
  message: { en: string; vi: string },
  path?: string,
): FormIssue {
  const out: FormIssue = { code, severity, message: message.en, messageVi: message.vi };
  if (path !== undefined) out.path = path;
  return out;
}
