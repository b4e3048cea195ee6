import { CliUsageError } from './errors.js';

/** The bytes of the file at `path`; a file that cannot be read is a {@link CliUsageError} (exit 2). */
export async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (cause) {
    throw new CliUsageError(`cannot read ${path}: ${(cause as Error).message}`);
  }
}

/** A file's bytes parsed as JSON; text that is not JSON is a {@link CliUsageError} naming the file. */
export function parseJsonFile(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new CliUsageError(`${name} is not JSON: ${(cause as Error).message}`);
  }
}
