// The browser's side of the kiosk API (same origin; nothing else is contacted).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

async function parse<T>(r: Response): Promise<T> {
  if (!r.ok) {
    let code = `http/${r.status}`;
    try {
      code = ((await r.json()) as { error?: { code?: string } }).error?.code ?? code;
    } catch {}
    throw new ApiError(r.status, code);
  }
  return (await r.json()) as T;
}

export function getJson<T>(path: string): Promise<T> {
  return fetch(path, { headers: { accept: 'application/json' } }).then((r) => parse<T>(r));
}

export function postJson<T>(path: string, body?: unknown): Promise<T> {
  return fetch(path, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then((r) => parse<T>(r));
}

/** POSTs raw bytes (an image) and parses the JSON answer. */
export function postBytes<T>(path: string, body: Blob, type: string): Promise<T> {
  return fetch(path, { method: 'POST', headers: { 'content-type': type }, body }).then((r) => parse<T>(r));
}

/** Base64 of a blob, without the `data:` prefix. */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
