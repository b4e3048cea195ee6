import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@smart-citizen/test-kit';

/** How a child process ended. */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `src/children/NAME.ts` in a fresh Node process (tsx, source condition) and resolves when
 * it exits, however it exits: the fault tests expect most children to die of SIGKILL.
 * @param onLine - called with each stdout line as it arrives (to kill the child at a point)
 */
export function runChild(
  name: string,
  args: string[],
  onLine?: (line: string, kill: () => void) => void,
): Promise<ChildResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@smart-citizen/source',
      join(repoRoot, 'tools/faults/src/children', `${name}.ts`),
      ...args,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let partial = '';
  const kill = () => child.kill('SIGKILL');
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) onLine?.(l, kill);
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
