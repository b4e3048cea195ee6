import { type Clock, type Issue, issue, systemClock } from '@smart-citizen/core';
import { type ActiveAuthenticationResult, performActiveAuthentication } from './activeAuthentication.js';
import type { AccessKey } from './accessKey.js';
import { performBac } from './bac.js';
import { CardChannel, type CardChannelOptions } from './CardChannel.js';
import type { CardTransport } from './CardTransport.js';
import type { CertificateInfo } from './certificate.js';
import { type ChipAuthenticationResult, performChipAuthentication } from './chipAuthentication.js';
import { randomBytes } from './bytes.js';
import { type ChipFiles, type ParsedChipFiles, fileParser, parseChipFiles, verifyChipFiles } from './chipFiles.js';
import {
  CARD_ACCESS_FID,
  type ChipFileName,
  EMRTD_AID,
  type EfCom,
  chipFiles,
  dataGroupNumber,
  parseDg14,
  parseDg15,
  parseEfCom,
} from './dataGroups.js';
import { ChipError, isChipError } from './errors.js';
import type { PassiveAuthenticationResult } from './passiveAuthentication.js';
import { choosePace, performPace } from './pace.js';
import { type SecurityInfos, parseSecurityInfos } from './securityInfos.js';

/** A step of a chip read, for progress events and timings. */
export type ChipStep =
  | 'card-access'
  | 'pace'
  | 'bac'
  | 'select'
  | 'read'
  | 'chip-authentication'
  | 'active-authentication'
  | 'passive-authentication'
  | 'parse';

/** A progress event: a step started, or bytes of a file arrived. */
export type ChipProgress =
  | { type: 'step'; step: ChipStep }
  | { type: 'file'; file: ChipFileName | 'CardAccess'; bytesRead: number; totalBytes: number };

/** Options of {@link ChipReader.create}. */
export interface ChipReaderOptions extends CardChannelOptions {
  /** The reader: a PC/SC transport, the software card, or your own. */
  transport: CardTransport;
  /** Close the transport in {@link ChipReader.close}. @default true */
  ownsTransport?: boolean;
  /** Random source (tests). @default WebCrypto getRandomValues */
  random?: (n: number) => Uint8Array;
  /** Time for certificate validity checks. @default systemClock */
  clock?: Clock;
}

/** Options of one {@link ChipReader.read}. */
export interface ChipReadOptions {
  /** CAN (PACE) and/or MRZ key (PACE, or BAC as fallback). */
  key: AccessKey;
  /** Files to read. @default ['COM', 'DG1', 'DG2', 'DG13', 'DG14', 'DG15', 'SOD'] */
  files?: readonly ChipFileName[];
  /** CSCA certificates to check the document signer against. Absent: passive authentication says `no-trust-anchor`. */
  cscas?: readonly (Uint8Array | CertificateInfo)[];
  /** Run chip authentication when DG14 offers it. @default true */
  chipAuthentication?: boolean;
  /** Run active authentication when DG15 is present. @default true */
  activeAuthentication?: boolean;
  /** Progress events (steps, and bytes of each file). */
  onProgress?: (p: ChipProgress) => void;
}

/** How the reader got in. */
export interface AccessControlResult {
  protocol: 'PACE' | 'BAC';
  /** PACE protocol OID, secure-messaging cipher and curve. */
  paceProtocol?: string;
  cipher: string;
  curve?: string;
  /** Why PACE was not used or failed before BAC took over. */
  paceFailure?: { code: string; sw?: string };
}

/** Everything one read returns. Personal data lives in `identity`, `mrz`, `portrait` and `files`: do not log them. */
export interface ChipReadResult extends Omit<ParsedChipFiles, 'issues'> {
  accessControl: AccessControlResult;
  /** Raw file bytes as read (for storage, re-verification, `chip parse`). */
  files: ChipFiles;
  authentication: {
    passive: PassiveAuthenticationResult;
    chip: ChipAuthenticationResult;
    active: ActiveAuthenticationResult;
  };
  /** Milliseconds per step (CPU + I/O wall time). */
  timings: Partial<Record<ChipStep, number>>;
  /** APDUs exchanged. */
  apdus: number;
  issues: Issue[];
}

const defaultFiles: readonly ChipFileName[] = ['COM', 'DG1', 'DG2', 'DG13', 'DG14', 'DG15', 'SOD'];
const now = () => globalThis.performance.now();

/**
 * Reads and authenticates an ICAO 9303 chip (CCCD / Căn cước): PACE (CAN or MRZ) with BAC as
 * fallback, secure messaging, the data groups, chip/active authentication on the card and
 * passive authentication against the CSCAs given.
 * @example
 * ```ts
 * const reader = await ChipReader.create({ transport });
 * const r = await reader.read({ key: { can: '123456' }, cscas: [cscaDer] });
 * r.authentication.passive.status; // 'passed' | 'failed' | 'no-trust-anchor'
 * await reader.close();
 * ```
 */
export class ChipReader {
  private closed = false;
  private busy = false;
  private constructor(private readonly options: ChipReaderOptions) {}

  /** Create a reader over a transport. */
  static async create(options: ChipReaderOptions): Promise<ChipReader> {
    if (!options || typeof options.transport?.transmit !== 'function')
      throw new TypeError('ChipReader.create needs a transport with transmit()');
    new CardChannel(options.transport, options); // validates the channel options now
    return new ChipReader(options);
  }

  /**
   * Read the chip and authenticate it.
   * @throws ChipError for a refused key, a vanished reader, a timeout, a garbage response; authentication outcomes are in the result
   */
  async read(options: ChipReadOptions): Promise<ChipReadResult> {
    if (this.closed) throw new ChipError('chip/closed', 'ChipReader was closed');
    if (this.busy) throw new ChipError('chip/closed', 'ChipReader is already reading; one read at a time');
    if (!options?.key || (options.key.can === undefined && options.key.mrz === undefined))
      throw new RangeError('read needs key.can or key.mrz');
    this.busy = true;
    try {
      return await this.readOnce(options);
    } finally {
      this.busy = false;
    }
  }

  private async readOnce(options: ChipReadOptions): Promise<ChipReadResult> {
    const random = this.options.random ?? randomBytes;
    const channel = new CardChannel(this.options.transport, this.options);
    const timings: Partial<Record<ChipStep, number>> = {};
    const issues: Issue[] = [];
    const emit = options.onProgress ?? (() => {});
    const timed = async <T>(step: ChipStep, f: () => Promise<T>): Promise<T> => {
      emit({ type: 'step', step });
      const t0 = now();
      try {
        return await f();
      } finally {
        timings[step] = (timings[step] ?? 0) + (now() - t0);
      }
    };
    const files: ChipFiles = {};
    const parsed = fileParser(issues);

    // EF.CardAccess, selected directly: several chips answer 6D00 to selecting the MF.
    let cardAccess: SecurityInfos | undefined;
    await timed('card-access', async () => {
      try {
        const bytes = await channel.readFile(CARD_ACCESS_FID, 'CardAccess', (p) =>
          emit({ type: 'file', ...p, file: 'CardAccess' }),
        );
        files.CardAccess = bytes;
        cardAccess = parseSecurityInfos(bytes);
      } catch (err) {
        // A missing or unreadable EF.CardAccess means no PACE; a reader fault is still a fault.
        if (
          !isChipError(err) ||
          !['chip/status', 'chip/bad-data', 'chip/bad-tlv', 'chip/file-too-large'].includes(err.code)
        )
          throw err;
        issues.push(
          issue('chip/no-card-access', 'info', `EF.CardAccess not usable (${err.code}); PACE is not offered`),
        );
      }
    });

    const establish = async (): Promise<AccessControlResult> => {
      let paceFailure: AccessControlResult['paceFailure'];
      const chosen = cardAccess ? choosePace(cardAccess.pace) : undefined;
      if (cardAccess && cardAccess.pace.length > 0 && !chosen) paceFailure = { code: 'chip/unsupported' };
      if (chosen) {
        try {
          await timed('pace', () => performPace(channel, chosen, options.key, random));
          await timed('select', () => channel.selectApplication(EMRTD_AID));
          return {
            protocol: 'PACE',
            paceProtocol: chosen.info.protocol,
            cipher: chosen.suite.name,
            curve: chosen.curve.name,
          };
        } catch (err) {
          if (!isChipError(err) || err.code === 'chip/transport' || err.code === 'chip/timeout' || !options.key.mrz)
            throw err;
          paceFailure = { code: err.code, ...(typeof err.details?.sw === 'string' ? { sw: err.details.sw } : {}) };
          channel.sm = undefined;
        }
      }
      if (!options.key.mrz) {
        throw new ChipError('chip/unsupported', 'the chip offers no PACE this reader runs, and BAC needs the MRZ key', {
          details: paceFailure ?? {},
        });
      }
      const mrz = options.key.mrz;
      await timed('select', () => channel.selectApplication(EMRTD_AID));
      await timed('bac', () => performBac(channel, mrz, random));
      return paceFailure ? { protocol: 'BAC', cipher: '3DES', paceFailure } : { protocol: 'BAC', cipher: '3DES' };
    };
    const accessControl = await establish();
    if (accessControl.paceFailure) {
      issues.push(
        issue(
          'chip/pace-fallback-bac',
          'warning',
          `PACE failed (${accessControl.paceFailure.code}${accessControl.paceFailure.sw ? ` ${accessControl.paceFailure.sw}` : ''}); read with BAC`,
        ),
      );
    }

    const wanted = options.files ?? defaultFiles;
    const readOne = async (name: ChipFileName): Promise<Uint8Array | undefined> => {
      try {
        const bytes = await timed('read', () =>
          channel.readFile(chipFiles[name].fid, name, (p) => emit({ type: 'file', ...p, file: name })),
        );
        files[name] = bytes;
        return bytes;
      } catch (err) {
        if (isChipError(err, 'chip/status') && (err.details?.sw === '6A82' || err.details?.sw === '6982')) {
          issues.push(
            issue(
              'chip/file-absent',
              err.details?.sw === '6982' ? 'warning' : 'info',
              `${name} could not be read (${String(err.details?.sw)})`,
              name,
            ),
          );
          return undefined;
        }
        throw err;
      }
    };

    let com: EfCom | undefined;
    if (wanted.includes('COM')) {
      const bytes = await readOne('COM');
      // Parsed here for its data-group list; a malformed one is reported by parseChipFiles below.
      if (bytes) com = quietly(() => parseEfCom(bytes));
    }
    const listed = (name: ChipFileName) => {
      const n = dataGroupNumber[name];
      return n === undefined || !com || com.dataGroups.includes(n);
    };

    // DG14 first: chip authentication then protects the rest of the read with its keys.
    let dg14: SecurityInfos | undefined;
    const chip: ChipAuthenticationResult = { status: 'not-available', issues: [] };
    if (wanted.includes('DG14') && listed('DG14')) {
      const bytes = await readOne('DG14');
      if (bytes) dg14 = parsed('DG14', () => parseDg14(bytes));
    }
    if (dg14 && options.chipAuthentication !== false) {
      await timed('chip-authentication', async () => {
        try {
          const protocol = await performChipAuthentication(channel, dg14 as SecurityInfos, chip.issues, random);
          if (protocol) {
            chip.protocol = protocol;
            // The first exchange under the new keys is the proof: a clone cannot compute them.
            await channel.selectApplication(EMRTD_AID);
            chip.status = 'passed';
          }
        } catch (err) {
          if (!isChipError(err) || err.code === 'chip/transport' || err.code === 'chip/timeout') throw err;
          chip.status = 'failed';
          chip.issues.push(
            issue(
              'chip/ca-failed',
              'error',
              `chip authentication failed (${err.code}): the chip does not hold the DG14 private key`,
            ),
          );
          // Secure messaging is broken now; get back in to read the rest.
          await establish();
        }
      });
    }

    for (const name of wanted) {
      if (name === 'COM' || name === 'DG14' || !listed(name)) continue;
      await readOne(name);
    }

    let active: ActiveAuthenticationResult = { status: 'not-available', issues: [] };
    const dg15 = files.DG15;
    const spki = dg15 ? parsed('DG15', () => parseDg15(dg15)) : undefined;
    if (spki && options.activeAuthentication !== false) {
      active = await timed('active-authentication', () => performActiveAuthentication(channel, spki, dg14, random));
    }

    const clock = this.options.clock ?? systemClock;
    const passive = await timed('passive-authentication', () =>
      verifyChipFiles(files, {
        ...(options.cscas ? { cscas: options.cscas } : {}),
        now: new Date(clock.now()),
      }),
    );
    const content = await timed('parse', async () => parseChipFiles(files));
    const { issues: parseIssues, ...data } = content;
    issues.push(...parseIssues);
    return {
      accessControl,
      files,
      ...data,
      authentication: { passive, chip, active },
      timings,
      apdus: channel.apduCount,
      issues,
    };
  }

  /** Release the reader (closes the transport when the reader owns it). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.ownsTransport !== false) await this.options.transport.close?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** `f()`, or `undefined` when it throws a ChipError. */
function quietly<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (!isChipError(err)) throw err;
    return undefined;
  }
}
