// Identity store + audit log adapters live in ./store, the queue backend in ./queue.
export {};
