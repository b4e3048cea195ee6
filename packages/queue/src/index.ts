// Smart queue: services, counters, citizen groups, routing policies, tickets, wait estimates,
// statistics, the QueueBackend port with its in-memory backend, and the day simulator.
// The conformance suite for backends is `@smart-citizen/queue/testing` (a separate entry, so
// that vitest stays out of the runtime bundle).
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './policies.js';
export * from './priorityPolicy.js';
export * from './QueueState.js';
export * from './createInMemoryQueueBackend.js';
export * from './SmartQueue.js';
export * from './stats.js';
export * from './displayBoard.js';
export * from './waitRange.js';
export { simulateQueue, parseSimulationConfig } from './simulate.js';
export type {
  HandlingDistribution,
  SimulatedGroup,
  SimulatedPolicy,
  SimulationConfig,
  SimulationResult,
} from './simulate.js';
export * from './simulateOnBackend.js';
export * from './rng.js';
export * from './QueueBackend.js';
export * from './types.js';
export * from './errors.js';
