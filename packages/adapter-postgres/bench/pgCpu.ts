import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** CPU seconds (user + system) of one process from /proc, or undefined when it is gone or unreadable. */
export function procCpuS(pid: number): number | undefined {
  try {
    // Fields after the command name: state is field 3; utime, stime are fields 14, 15 (clock ticks, 100/s).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU time of one PostgreSQL backend and its parallel workers while `fn` runs: the backend's
 * /proc counters before and after, and each worker (`pg_stat_activity.leader_pid`) sampled every
 * second (a worker's last sample is its total, so up to a second of a worker's end may be missed).
 * Needs the server on this machine; `undefined` when /proc cannot be read.
 */
export async function withBackendCpu<T>(
  backendPid: number,
  observer: pg.Pool,
  fn: () => Promise<T>,
): Promise<{ value: T; cpuS: number | undefined }> {
  const start = procCpuS(backendPid);
  const workers = new Map<number, number>();
  const sample = async () => {
    const r = await observer.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE leader_pid = $1', [
      backendPid,
    ]);
    for (const { pid } of r.rows) {
      const c = procCpuS(pid);
      if (c !== undefined) workers.set(pid, Math.max(c, workers.get(pid) ?? 0));
    }
  };
  const timer = setInterval(() => void sample().catch(() => {}), 1000);
  try {
    const value = await fn();
    const end = procCpuS(backendPid);
    const cpuS =
      start === undefined || end === undefined
        ? undefined
        : end - start + [...workers.values()].reduce((s, x) => s + x, 0);
    return { value, cpuS };
  } finally {
    clearInterval(timer);
  }
}
