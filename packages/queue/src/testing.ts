// Test and bench helpers for queue backend authors: `@smart-citizen/queue/testing`. Imports
// vitest, so it is a separate entry point that the runtime bundle never pulls in.
export { describeQueueBackendConformance, testIssueRequest } from './testing/conformance.js';
export { openQueueInstance } from './testing/openQueueInstance.js';
export type {
  ConformanceOptions as QueueConformanceOptions,
  QueueBackendHarness,
  QueueBackendInstance,
} from './testing/conformance.js';
