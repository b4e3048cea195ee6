// Public API of @smart-citizen/core. Each area lists its exports in its own index.
export * from './errors/index.js';
export * from './ports/index.js';
export * from './image/index.js';
