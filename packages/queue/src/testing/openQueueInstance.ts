import type { QueueBackend } from '../QueueBackend.js';

/**
 * A fresh namespace on a backend with every client it opens tracked: `connect()` opens another
 * client on the same namespace, `cleanup()` closes them all and then drops the namespace. The
 * one shape the conformance suite and the benches open backends with.
 * @param connectClient - opens one client on the namespace
 * @param dropNamespace - removes the namespace (schema, key prefix) once every client is closed
 */
export async function openQueueInstance(
  connectClient: () => Promise<QueueBackend>,
  dropNamespace: () => Promise<unknown>,
): Promise<{ backend: QueueBackend; connect(): Promise<QueueBackend>; cleanup(): Promise<void> }> {
  const clients: QueueBackend[] = [];
  const connect = async () => {
    const b = await connectClient();
    clients.push(b);
    return b;
  };
  const backend = await connect();
  return {
    backend,
    connect,
    async cleanup() {
      for (const c of clients) await c.close();
      await dropNamespace();
    },
  };
}
