// The small HTTP layer of the kiosk server: a route table (which is also the OpenAPI document),
// bodies read with a hard size cap, JSON Schema validation with ajv, a token-bucket rate limit
// per client address and route group, and one log line per request that names the route
// template, never the URL (paths carry session and ticket ids) or a body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** JSON Schema object (the OpenAPI 3.1 dialect). */
export type JsonSchema = Record<string, unknown>;

/** Limits a route group shares. */
export type RateGroup = 'kiosk' | 'biometric' | 'card-ocr' | 'counter' | 'read';

/** An error the API returns as `{ error: { code, message, issues? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** What a handler gets. */
export interface RequestContext<B = unknown> {
  params: Record<string, string>;
  query: URLSearchParams;
  body: B;
  req: IncomingMessage;
  res: ServerResponse;
}

/** What a handler returns: JSON (default), bytes, or `undefined` when it wrote the response itself. */
export type HandlerResult =
  | { status?: number; json: unknown }
  | { status?: number; bytes: Uint8Array; type: string; filename?: string }
  | undefined;

/** One route of the API. */
export interface Route {
  method: 'GET' | 'POST';
  /** OpenAPI path template, e.g. `/api/sessions/{sessionId}/card`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  rate: RateGroup;
  /** Request body: JSON with a schema, or raw image bytes. Absent: no body accepted. */
  body?: { kind: 'json'; schema: JsonSchema; maxBytes: number } | { kind: 'image'; maxBytes: number };
  /** Pattern of each path parameter. */
  params?: Record<string, string>;
  /** Response descriptions by status (the OpenAPI document lists them). */
  responses: Record<string, { description: string; schema?: JsonSchema; contentType?: string }>;
  handler(ctx: RequestContext): Promise<HandlerResult>;
}

/** Token-bucket limits of a group: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/** Limits per group; a group left out keeps its {@link defaultRateLimits} entry. */
export type RateLimits = Partial<Record<RateGroup, RateLimit>>;

/** Defaults sized for one kiosk or counter per address, with room for a retry. */
export const defaultRateLimits: Record<RateGroup, RateLimit> = {
  kiosk: { burst: 30, perMinute: 120 },
  biometric: { burst: 6, perMinute: 20 },
  // A card photo costs seconds of OCR on the server: a few retakes, not a stream.
  'card-ocr': { burst: 10, perMinute: 30 },
  counter: { burst: 30, perMinute: 240 },
  read: { burst: 60, perMinute: 600 },
};

/** A per-key token bucket. */
export function createRateLimiter(given: RateLimits, now: () => number = Date.now) {
  const limits = { ...defaultRateLimits, ...given };
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes a token; returns the seconds to wait when there is none. */
    take(group: RateGroup, client: string): number {
      const { burst, perMinute } = limits[group];
      const key = `${group}\u0000${client}`;
      const t = now();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) * perMinute) / 60_000);
      b.at = t;
      buckets.set(key, b);
      if (buckets.size > 10_000) {
        // Forget the fullest buckets first: they are the idle clients.
        for (const [k, v] of buckets) if (v.tokens >= limits[group].burst) buckets.delete(k);
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) * 60) / perMinute);
    },
  };
}

/** Reads a request body, refusing more than `maxBytes` (413) without buffering the excess. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    req.resume();
    return Promise.reject(new HttpError(413, 'request/too-large', `the body is larger than ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'request/too-large', `the body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Typed SDK errors a request can cause, as HTTP statuses (the rest are 500s). */
function fromSdkError(err: unknown): HttpError | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^[a-z-]+\/[a-z-]+$/.test(code)) return undefined;
  const status =
    code.endsWith('not-found') || code.startsWith('queue/unknown-')
      ? 404
      : code === 'queue/invalid-transition'
        ? 409
        : code.startsWith('image/')
          ? 422
          : code.endsWith('unavailable') || code === 'queue/backend-error'
            ? 503
            : undefined;
  return status
    ? new HttpError(status, code, `${code.split('/')[0]}: ${code.split('/')[1]?.replace(/-/g, ' ')}`)
    : undefined;
}

/** The router: matches, limits, validates and runs routes. */
export function createRouter(routes: readonly Route[], options: { limits: RateLimits; log: (line: string) => void }) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const limiter = createRateLimiter(options.limits);
  const compiled = routes.map((r) => {
    const names: string[] = [];
    const re = new RegExp(
      `^${r.path.replace(/\{(\w+)\}/g, (_, n: string) => {
        names.push(n);
        return `(${r.params?.[n] ?? '[^/]+'})`;
      })}$`,
    );
    const validate: ValidateFunction | undefined = r.body?.kind === 'json' ? ajv.compile(r.body.schema) : undefined;
    return { route: r, re, names, validate };
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(text);
  };
  const problems = (errors: ErrorObject[] | null | undefined) =>
    (errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));

  return {
    /** Handles the request when a route matches; resolves false when none does. */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const started = performance.now();
      const url = new URL(req.url ?? '/', 'http://kiosk.invalid');
      const pathMatches = compiled.filter((c) => c.re.test(url.pathname));
      if (pathMatches.length === 0) {
        if (!url.pathname.startsWith('/api/')) return false;
        req.resume();
        send(res, 404, { error: { code: 'request/not-found', message: 'no such API route' } });
        options.log(JSON.stringify({ level: 'info', method: req.method, route: '/api/?', status: 404, ms: 0 }));
        return true;
      }
      const hit = pathMatches.find((c) => c.route.method === req.method);
      let status = 500;
      const template = hit?.route.path ?? pathMatches[0]?.route.path ?? '?';
      try {
        if (!hit) throw new HttpError(405, 'request/method-not-allowed', `${req.method} is not allowed here`);
        const r = hit.route;
        const wait = limiter.take(r.rate, req.socket.remoteAddress ?? 'unknown');
        if (wait > 0) {
          req.resume();
          throw Object.assign(new HttpError(429, 'request/rate-limited', 'too many requests: try again shortly'), {
            retryAfter: wait,
          });
        }
        const m = hit.re.exec(url.pathname);
        const params = Object.fromEntries(hit.names.map((n, i) => [n, decodeURIComponent(m?.[i + 1] ?? '')]));
        let body: unknown;
        if (r.body) {
          const bytes = await readBody(req, r.body.maxBytes);
          if (r.body.kind === 'json') {
            const type = String(req.headers['content-type'] ?? '');
            if (!type.startsWith('application/json'))
              throw new HttpError(415, 'request/unsupported-type', 'send application/json');
            try {
              body = JSON.parse(new TextDecoder().decode(bytes));
            } catch {
              throw new HttpError(400, 'request/invalid-json', 'the body is not JSON');
            }
            if (!hit.validate?.(body))
              throw new HttpError(
                400,
                'request/invalid',
                'the request does not match its schema',
                problems(hit.validate?.errors),
              );
          } else {
            if (bytes.length === 0) throw new HttpError(400, 'request/empty', 'the image is empty');
            body = bytes;
          }
        } else if (req.method === 'POST') {
          // No body is expected: drain at most a little, refuse the rest.
          await readBody(req, 1024);
        }
        const out = await r.handler({ params, query: url.searchParams, body, req, res });
        if (out === undefined) {
          status = res.statusCode;
        } else if ('json' in out) {
          status = out.status ?? 200;
          send(res, status, out.json);
        } else {
          status = out.status ?? 200;
          res.writeHead(status, {
            'content-type': out.type,
            'content-length': String(out.bytes.length),
            'cache-control': 'no-store',
            ...(out.filename ? { 'content-disposition': `inline; filename="${out.filename}"` } : {}),
          });
          res.end(out.bytes);
        }
      } catch (caught) {
        let err = caught;
        if (!(err instanceof HttpError)) err = fromSdkError(err) ?? err;
        if (err instanceof HttpError) {
          status = err.status;
          const retry = (err as HttpError & { retryAfter?: number }).retryAfter;
          send(
            res,
            status,
            { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } },
            retry ? { 'retry-after': String(retry) } : {},
          );
        } else {
          status = 500;
          // The error may quote input: log its class and code only.
          const code = (err as { code?: unknown }).code;
          options.log(
            JSON.stringify({
              level: 'error',
              route: template,
              error: (err as Error)?.name,
              code: typeof code === 'string' ? code : undefined,
            }),
          );
          if (!res.headersSent) send(res, 500, { error: { code: 'server/internal', message: 'internal error' } });
          else res.end();
        }
      }
      options.log(
        JSON.stringify({
          level: 'info',
          method: req.method,
          route: template,
          status,
          ms: Math.round(performance.now() - started),
        }),
      );
      return true;
    },
  };
}

/** The OpenAPI 3.1 document of a route table. */
export function openApiDocument(
  routes: readonly Route[],
  info: { title: string; version: string; description: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string', ...(r.params?.[name as string] ? { pattern: `^${r.params[name as string]}$` } : {}) },
    }));
    const requestBody =
      r.body?.kind === 'json'
        ? { required: true, content: { 'application/json': { schema: r.body.schema } } }
        : r.body?.kind === 'image'
          ? {
              required: true,
              description: `Encoded image (JPEG, PNG or WebP), at most ${r.body.maxBytes} bytes`,
              content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
            }
          : undefined;
    const responses = Object.fromEntries(
      Object.entries<{ description: string; schema?: JsonSchema; contentType?: string }>({
        ...r.responses,
        '400': { description: 'The request does not match its schema (`request/invalid`)' },
        '413': { description: `The body is too large${r.body ? ` (over ${r.body.maxBytes} bytes)` : ''}` },
        '429': { description: 'Rate limited; see Retry-After' },
      }).map(([code, d]) => [
        code,
        {
          description: d.description,
          ...(d.schema || d.contentType
            ? { content: { [d.contentType ?? 'application/json']: d.schema ? { schema: d.schema } : {} } }
            : {}),
        },
      ]),
    );
    paths[r.path] ??= {};
    (paths[r.path] as Record<string, unknown>)[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: r.tags,
      'x-rate-limit-group': r.rate,
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return { openapi: '3.1.0', info, paths };
}
