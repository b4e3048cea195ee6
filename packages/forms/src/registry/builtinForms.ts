import type { FormDefinition } from '../FormDefinition.js';
import birthRegistration from '../forms/birth-registration.json' with { type: 'json' };
import businessHousehold from '../forms/business-household.json' with { type: 'json' };
import cc01 from '../forms/cc01.json' with { type: 'json' };
import ct01 from '../forms/ct01.json' with { type: 'json' };
import dc02 from '../forms/dc02.json' with { type: 'json' };
import maritalStatus from '../forms/marital-status.json' with { type: 'json' };

/**
 * The form definitions shipped with the package (data files under `src/forms/`), checked
 * against the definition schema when a registry is created.
 */
export const builtinForms: readonly FormDefinition[] = [
  ct01,
  birthRegistration,
  maritalStatus,
  dc02,
  cc01,
  businessHousehold,
] as unknown as readonly FormDefinition[];
