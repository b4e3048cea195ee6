// Smart queue: services, counters, citizen groups, routing policies, tickets, wait estimates,
// statistics, the QueueBackend port with its in-memory backend, and the day simulator.
// The conformance suite for backends is `@smart-citizen/queue/testing` (a separate entry, so
// that vitest stays out of the runtime bundle).
export {
  fifoPolicy,
  strictPriorityPolicy,
  weightedInterleavePolicy,
  agingPolicy,
  parseRoutingPolicy,
  formatTicketNumber,
  timeScore,
  fairShareScore,
  STRICT_PRIORITY_STEP_MS,
} from './policies.js';
export {
  vietnamPriorityPolicy,
  classifyCitizen,
  validatePriorityPolicy,
  attributesFromIdentity,
} from './priorityPolicy.js';
export type {
  CitizenAttributes,
  Classification,
  DisabilityLevel,
  GroupCriterion,
  PriorityGroup,
  PriorityPolicy,
} from './priorityPolicy.js';
export { QueueState, ticketTransitions, HANDLING_SAMPLES_KEPT } from './QueueState.js';
export { createInMemoryQueueBackend } from './createInMemoryQueueBackend.js';
export { SmartQueue, createSmartQueue, validateQueueConfig } from './SmartQueue.js';
export type {
  AppointmentWindow,
  IssueResult,
  SmartQueueConfig,
  SmartQueueOptions,
  TicketHolder,
  WaitEstimate,
} from './SmartQueue.js';
export { computeQueueStats, quantile } from './stats.js';
export { emptyDisplayBoard, reduceDisplayBoard } from './displayBoard.js';
export type { BoardCall, DisplayBoardState } from './displayBoard.js';
export { waitRange, ticketsAhead, serviceCapacity, MIN_HANDLING_SAMPLES } from './waitRange.js';
export type { WaitRange } from './waitRange.js';
export type { CounterStats, GroupStats, QueueStats, ServiceStats } from './stats.js';
export { simulateQueue, parseSimulationConfig } from './simulate.js';
export type {
  HandlingDistribution,
  SimulatedGroup,
  SimulatedPolicy,
  SimulationConfig,
  SimulationResult,
} from './simulate.js';
export { simulateOnBackend } from './simulateOnBackend.js';
export type { BackendDelivery, BackendSimulationOptions, BackendSimulationResult } from './simulateOnBackend.js';
export { sampleExponential, sampleLognormal, sampleNormal } from './rng.js';
export type {
  CallNextRequest,
  IssueRequest,
  QueueBackend,
  TicketFilter,
  TransitionAction,
  TransitionRequest,
  WaitingCount,
} from './QueueBackend.js';
export type {
  Appointment,
  CitizenGroup,
  CounterProfileMode,
  QueueCounter,
  QueueEvent,
  QueueEventListener,
  QueueEventType,
  QueueService,
  RoutingPolicy,
  RoutingPolicyKind,
  Ticket,
  TicketStatus,
} from './types.js';
export { QueueError } from './errors.js';
export type { QueueErrorCode } from './errors.js';
