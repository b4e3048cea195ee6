/** How serious an issue is: `error` makes the data unusable for a decision, `warning` needs a look, `info` is a remark. */
export type IssueSeverity = 'error' | 'warning' | 'info';

/**
 * A domain problem found in otherwise usable input (a bad check digit, a date in the future, a
 * field that disagrees between two sources). Results carry a list of these.
 */
export interface Issue {
  /** Stable machine-readable code, e.g. `id/province-unknown`. */
  code: string;
  severity: IssueSeverity;
  /** Human-readable explanation in English (never containing personal data). */
  message: string;
  /** Where it applies: a field name or path, e.g. `dateOfBirth`. */
  path?: string;
}

/** Build an {@link Issue}. */
export function issue(code: string, severity: IssueSeverity, message: string, path?: string): Issue {
  return path === undefined ? { code, severity, message } : { code, severity, message, path };
}
