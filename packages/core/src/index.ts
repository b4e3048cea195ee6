// Public API of @smart-citizen/core. Each area lists its exports in its own index.ts:
// errors, ports (clock, logger), identity (types),
// rules (ID numbers, dates, sex), text (Vietnamese normalisation), store / privacy / session
// (identification). The smart queue is @smart-citizen/queue, image primitives @smart-citizen/image.
export * from './errors/index.js';
export * from './ports/index.js';
export * from './identity/index.js';
export * from './rules/index.js';
export * from './mrz/index.js';
export * from './text/index.js';
export * from './store/index.js';
export * from './privacy/index.js';
export * from './session/index.js';
export * as wasmAssembler from './wasm/assembler.js';
