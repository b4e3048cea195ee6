// The shared throughput and order-fidelity bench for queue backends: `@smart-citizen/queue/bench`.
// Kept apart from `/testing` because that entry imports vitest, which cannot load outside a
// vitest run (`pnpm bench` runs under tsx).
export { benchQueueBackend } from './testing/benchQueueBackend.js';
export type { BenchTarget, OrderFidelity, QueueBenchRow } from './testing/benchQueueBackend.js';
export { openQueueInstance } from './testing/openQueueInstance.js';
