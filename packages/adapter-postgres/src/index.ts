// Identity store + audit log adapters live in ./store, the queue backend in ./queue.
export * from './store/index.js';
export * from './queue/index.js';
