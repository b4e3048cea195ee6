export { systemClock, createManualClock } from './Clock.js';
export type { Clock } from './Clock.js';
export { silentLogger } from './Logger.js';
export type { Logger } from './Logger.js';
export { createRng } from './random.js';
export type { Rng } from './random.js';
export { createExclusiveLock } from './ExclusiveLock.js';
export type { ExclusiveLock } from './ExclusiveLock.js';
