import { runIdentityStoreConformance } from '../testing.js';
import { createMemoryIdentityStore } from './createMemoryIdentityStore.js';

runIdentityStoreConformance('memory', async (ctx) => ({
  store: createMemoryIdentityStore({
    clock: ctx.clock,
    faceDimension: ctx.faceDimension,
    ...(ctx.keys ? { keys: ctx.keys } : {}),
  }),
}));
