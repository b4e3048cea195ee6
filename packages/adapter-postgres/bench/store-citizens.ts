// The same made-up citizens as the SQLite bench, so figures compare.
export { benchCitizen, benchLookups, loadBenchCitizens } from '../../adapter-sqlite/bench/citizens.js';
