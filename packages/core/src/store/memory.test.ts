import { describeIdentityStoreConformance } from '../testing.js';
import { createMemoryIdentityStore } from './createMemoryIdentityStore.js';

describeIdentityStoreConformance('memory', async (ctx) => ({
  store: createMemoryIdentityStore({
    clock: ctx.clock,
    faceDimension: ctx.faceDimension,
    indexes: ctx.indexes,
    ...(ctx.keys ? { keys: ctx.keys } : {}),
  }),
}));
