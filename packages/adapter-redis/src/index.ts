export { createRedisQueueBackend, deleteRedisQueue } from './createRedisQueueBackend.js';
export type { RedisQueueBackendOptions } from './createRedisQueueBackend.js';
