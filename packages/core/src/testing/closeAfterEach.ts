import { afterEach } from 'vitest';

/**
 * Registers, in the current `describe`, an `afterEach` that closes every target a test opened
 * twice (the second call proves `close` is idempotent) and then runs its `cleanup`.
 * @param closable - what to close in a target (the log, the store)
 * @returns records a target just opened and returns it
 * @internal shared by the conformance suites
 */
export function closeAfterEach<T extends { cleanup?: () => Promise<void> }>(
  closable: (target: T) => { close(): Promise<void> },
): (target: T) => T {
  const opened: T[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0)) {
      await closable(t).close();
      await closable(t).close();
      await t.cleanup?.();
    }
  });
  return (target) => {
    opened.push(target);
    return target;
  };
}
