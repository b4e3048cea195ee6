/**
 * One-at-a-time section for drivers over a single connection (in-memory maps, better-sqlite3):
 * their transactions span `await`s, so a second transaction, or a read that must not see
 * uncommitted rows, waits for the open one.
 * @internal shared by the store and audit drivers
 */
export interface ExclusiveLock {
  /** True while a section runs or waits. */
  readonly busy: boolean;
  /** Run `fn` after every section started before it has settled. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves once no section runs (at once when none does). */
  idle(): Promise<void>;
}

/**
 * A new {@link ExclusiveLock}.
 * @internal
 */
export function createExclusiveLock(): ExclusiveLock {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    get busy() {
      return pending > 0;
    },
    run(fn) {
      pending++;
      const p = tail.then(fn).finally(() => {
        pending--;
      });
      tail = p.catch(() => undefined);
      return p;
    },
    async idle() {
      while (pending > 0) await tail;
    },
  };
}
