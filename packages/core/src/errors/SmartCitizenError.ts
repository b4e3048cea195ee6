/**
 * Every error the SDK throws on purpose is a {@link SmartCitizenError} with a string `code`
 * (e.g. `image/unsupported-format`, `qr/not-a-card-payload`), the package that raised it, and
 * an optional `cause`. Domain problems that still leave a usable result are not errors: they
 * come back as {@link Issue} entries in the result.
 */
export class SmartCitizenError<Code extends string = string> extends Error {
  override readonly name: string = 'SmartCitizenError';
  /** Stable machine-readable code, `<area>/<problem>`. */
  readonly code: Code;
  /** The package that raised it, e.g. `core`, `qr`. */
  readonly pkg: string;
  /** Structured, non-personal details (sizes, limits, field names — never personal data). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: Code,
    message: string,
    options: { pkg?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    const pkg = options.pkg ?? 'core';
    super(`[@smart-citizen/${pkg}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.pkg = pkg;
    this.details = options.details;
  }
}

/** True when `err` is a {@link SmartCitizenError}, optionally with the given code. */
export function isSmartCitizenError(err: unknown, code?: string): err is SmartCitizenError {
  return err instanceof SmartCitizenError && (code === undefined || err.code === code);
}

/** Options of the errors an {@link ErrorFactory} makes. */
export interface PackageErrorOptions {
  cause?: unknown;
  /** Structured, non-personal details. */
  details?: Record<string, unknown>;
}

/** Makes one package's errors: a code of the package's union, a message that names the package. */
export type ErrorFactory<Code extends string> = <C extends Code>(
  code: C,
  message: string,
  options?: PackageErrorOptions,
) => SmartCitizenError<C>;

/**
 * The error factory of a package that throws plain {@link SmartCitizenError}s (no subclass of its
 * own): the package's code union is checked at every throw site.
 * @param pkg - the package name the messages carry, e.g. `qr` for `[@smart-citizen/qr] …`
 * @returns the factory
 * @example
 * export const qrError: ErrorFactory<QrErrorCode> = errorFactory('qr');
 * throw qrError('qr/engine-closed', 'the engine was closed');
 */
export function errorFactory<Code extends string>(pkg: string): ErrorFactory<Code> {
  return (code, message, options = {}) => new SmartCitizenError(code, message, { ...options, pkg });
}

/** The constructor {@link errorClass} returns: a package's error class, before it is named. */
export interface PackageErrorClass<Code extends string> {
  new (code: Code, message: string, options?: PackageErrorOptions): SmartCitizenError<Code>;
  readonly prototype: SmartCitizenError<Code>;
}

/**
 * The base of a package's own error subclass: a {@link SmartCitizenError} whose `code` is the
 * package's union, whose message names the package, and whose `name` is the subclass's, so the
 * package declares only its code union and its class.
 * @param pkg - the package name the messages carry, e.g. `chip` for `[@smart-citizen/chip] …`
 * @param name - the `name` of its errors, e.g. `ChipError`
 * @returns a class to extend
 * @example
 * export class ChipError extends errorClass<ChipErrorCode>('chip', 'ChipError') {}
 * throw new ChipError('chip/timeout', 'the card did not answer', { details: { ms: 2000 } });
 */
export function errorClass<Code extends string>(pkg: string, name: string): PackageErrorClass<Code> {
  return class extends SmartCitizenError<Code> {
    override readonly name: string = name;
    constructor(code: Code, message: string, options: PackageErrorOptions = {}) {
      super(code, message, { ...options, pkg });
    }
  };
}
