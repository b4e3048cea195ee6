// The kiosk HTTP API as one table: each row is a route, its limits and its schemas. The
// OpenAPI document (`GET /api/openapi.json`) is generated from this table and the same schemas
// validate the requests, so the document cannot drift from what the server accepts.
import type { SmartQueue, Ticket } from '@smart-citizen/queue';
import type { KioskCentre } from './centre.js';
import { cardPhotoRoute } from './cardPhotoRoute.js';
import { HttpError, type JsonSchema, type Route } from './http.js';
import type { KioskService } from './kioskService.js';

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const idPattern = '[A-Za-z0-9_.-]{1,64}';
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const error: JsonSchema = obj({
  error: obj({ code: { type: 'string' }, message: { type: 'string' }, issues: { type: 'array' } }, ['code', 'message']),
});
const ticketSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    status: { type: 'string' },
    serviceId: { type: 'string' },
  },
};

/** Largest card still (base64 in JSON) and face frame the server accepts. */
export const MAX_CARD_IMAGE_BYTES = 1_500_000;
export const MAX_FACE_IMAGE_BYTES = 1_000_000;

/** A base64 string of at most `bytes` decoded bytes. */
const base64Field = (bytes: number): JsonSchema => ({
  type: 'string',
  contentEncoding: 'base64',
  maxLength: Math.ceil((bytes * 4) / 3),
  pattern: '^[A-Za-z0-9+/]+={0,2}$',
});

/** One frame of the liveness challenge: JPEG (base64) and capture time (ms, the browser's clock). */
const challengeFrame = obj(
  { image: base64Field(MAX_FACE_IMAGE_BYTES), atMs: { type: 'number', minimum: 0, maximum: 1e13 } },
  ['image', 'atMs'],
);

/** A ticket as counters and boards see it: numbers and places, no personal data. */
function publicTicket(t: Ticket | null) {
  return t
    ? {
        id: t.id,
        number: t.number,
        status: t.status,
        serviceId: t.serviceId,
        groupId: t.groupId,
        ...(t.counterId ? { counterId: t.counterId } : {}),
        recalls: t.recalls,
      }
    : null;
}

/** The route table. */
export function kioskRoutes(deps: {
  service: KioskService;
  queue: SmartQueue;
  centre: KioskCentre;
  board: () => unknown;
  openApi: () => unknown;
  sse: Route['handler'];
}): Route[] {
  const { service, queue, centre } = deps;
  const sessionParams = { sessionId: uuid };
  const counter = (id: string) => {
    if (!centre.counters.some((c) => c.id === id)) throw new HttpError(404, 'counter/not-found', 'no such counter');
    return id;
  };
  const ticketAction =
    (action: (id: string) => Promise<Ticket>): Route['handler'] =>
    async ({ params }) => ({ json: { ticket: publicTicket(await action(params.ticketId ?? '')) } });
  const ticketRoute = (name: string, summary: string, action: (id: string) => Promise<Ticket>): Route => ({
    method: 'POST',
    path: `/api/tickets/{ticketId}/${name}`,
    operationId: `ticket-${name}`,
    summary,
    tags: ['counter'],
    rate: 'counter',
    params: { ticketId: idPattern },
    responses: {
      '200': { description: 'The ticket after the action', schema: obj({ ticket: ticketSchema }) },
      '409': { description: 'Not allowed from the ticket status', schema: error },
    },
    handler: ticketAction(action),
  });

  return [
    {
      method: 'GET',
      path: '/api/openapi.json',
      operationId: 'openapi',
      summary: 'This document',
      tags: ['meta'],
      rate: 'read',
      responses: { '200': { description: 'OpenAPI 3.1 document' } },
      handler: async () => ({ json: deps.openApi() }),
    },
    {
      method: 'GET',
      path: '/api/health',
      operationId: 'health',
      summary: 'Liveness of the server and which capabilities are on',
      tags: ['meta'],
      rate: 'read',
      responses: { '200': { description: 'Up' } },
      handler: async () => ({
        json: {
          ok: true,
          face: service.faceAvailable(),
          cardOcr: service.cardOcrAvailable(),
          sessions: service.sessionCount(),
        },
      }),
    },
    {
      method: 'GET',
      path: '/api/procedures',
      operationId: 'procedures',
      summary: 'Procedures a citizen can choose, with their queue service and form',
      tags: ['kiosk'],
      rate: 'read',
      responses: { '200': { description: 'Procedures' } },
      handler: async () => ({ json: { procedures: service.procedures() } }),
    },
    {
      method: 'POST',
      path: '/api/sessions',
      operationId: 'session-start',
      summary: 'Start a kiosk session; the server chooses the liveness challenge',
      tags: ['kiosk'],
      rate: 'kiosk',
      responses: { '201': { description: 'Session started' } },
      handler: async () => ({ status: 201, json: service.start() }),
    },
    {
      method: 'POST',
      path: '/api/sessions/{sessionId}/card',
      operationId: 'session-card',
      summary:
        'The card step: a still of the card (the server reads its QR code again and cuts the portrait) and/or the QR text the browser read',
      tags: ['kiosk'],
      rate: 'kiosk',
      params: sessionParams,
      body: {
        kind: 'json',
        maxBytes: Math.ceil((MAX_CARD_IMAGE_BYTES * 4) / 3) + 4096,
        schema: {
          ...obj({
            qrText: { type: 'string', minLength: 1, maxLength: 2048 },
            cardImage: base64Field(MAX_CARD_IMAGE_BYTES),
          }),
          anyOf: [{ required: ['qrText'] }, { required: ['cardImage'] }],
        },
      },
      responses: {
        '200': { description: '`status`: read (with the identity to confirm), unreadable or not-a-card; issue codes' },
        '404': { description: 'No such session', schema: error },
      },
      handler: async ({ params, body }) => {
        const b = body as { qrText?: string; cardImage?: string };
        return {
          json: await service.card(params.sessionId ?? '', {
            ...(b.qrText !== undefined ? { qrText: b.qrText } : {}),
            ...(b.cardImage !== undefined ? { cardImage: new Uint8Array(Buffer.from(b.cardImage, 'base64')) } : {}),
          }),
        };
      },
    },
    cardPhotoRoute(service, sessionParams),
    {
      method: 'POST',
      path: '/api/sessions/{sessionId}/consent',
      operationId: 'session-consent',
      summary:
        'Record the citizen’s answer to the face-verification consent (stored and audited before any biometric processing)',
      tags: ['kiosk'],
      rate: 'kiosk',
      params: sessionParams,
      body: {
        kind: 'json',
        maxBytes: 1024,
        schema: obj(
          {
            accepted: { type: 'boolean' },
            scope: { type: 'array', items: { enum: ['face'] }, minItems: 1, maxItems: 1 },
          },
          ['accepted', 'scope'],
        ),
      },
      responses: {
        '200': { description: 'Recorded; without consent, the level-1 decision' },
        '409': { description: 'No card read yet', schema: error },
      },
      handler: async ({ params, body }) => ({
        json: await service.consent(params.sessionId ?? '', body as { accepted: boolean; scope: string[] }),
      }),
    },
    {
      method: 'POST',
      path: '/api/sessions/{sessionId}/face',
      operationId: 'session-face',
      summary:
        'The liveness challenge’s frames: frontal, then the head turned as the session’s challenge asked (JPEG, base64). The server re-runs the challenge on them, checks it is one person, then embeds the frontal frame, checks passive liveness and decides (level 2)',
      tags: ['kiosk'],
      rate: 'biometric',
      params: sessionParams,
      body: {
        kind: 'json',
        maxBytes: 2 * Math.ceil((MAX_FACE_IMAGE_BYTES * 4) / 3) + 4096,
        schema: obj({ frontal: challengeFrame, turned: challengeFrame }, ['frontal', 'turned']),
      },
      responses: {
        '200': {
          description:
            'The decision: outcome, level, met requirements, reason codes; `outcome: retry` with a `liveness/…` code when the server does not see the challenge in the frames',
        },
        '403': { description: 'No consent recorded', schema: error },
      },
      handler: async ({ params, body }) => {
        const b = body as Record<'frontal' | 'turned', { image: string; atMs: number }>;
        const frame = (f: { image: string; atMs: number }) => ({
          image: new Uint8Array(Buffer.from(f.image, 'base64')),
          atMs: f.atMs,
        });
        return {
          json: await service.face(params.sessionId ?? '', { frontal: frame(b.frontal), turned: frame(b.turned) }),
        };
      },
    },
    {
      method: 'POST',
      path: '/api/sessions/{sessionId}/ticket',
      operationId: 'session-ticket',
      summary: 'Issue the queue ticket of a verified citizen for a procedure',
      tags: ['kiosk'],
      rate: 'kiosk',
      params: sessionParams,
      body: {
        kind: 'json',
        maxBytes: 1024,
        schema: obj({ procedureId: { type: 'string', pattern: `^${idPattern}$` } }, ['procedureId']),
      },
      responses: {
        '200': { description: 'The ticket: number, counters, wait range' },
        '403': { description: 'Not verified', schema: error },
      },
      handler: async ({ params, body }) => ({
        json: await service.ticket(params.sessionId ?? '', (body as { procedureId: string }).procedureId),
      }),
    },
    {
      method: 'GET',
      path: '/api/sessions/{sessionId}/form',
      operationId: 'session-form',
      summary: 'The procedure’s form pre-filled from the stored record, with missing fields and issues',
      tags: ['kiosk'],
      rate: 'kiosk',
      params: sessionParams,
      responses: { '200': { description: 'Filled form' } },
      handler: async ({ params }) => ({ json: await service.form(params.sessionId ?? '') }),
    },
    {
      method: 'GET',
      path: '/api/sessions/{sessionId}/form.pdf',
      operationId: 'session-form-pdf',
      summary: 'The pre-filled form as PDF',
      tags: ['kiosk'],
      rate: 'kiosk',
      params: sessionParams,
      responses: { '200': { description: 'PDF', contentType: 'application/pdf' } },
      handler: async ({ params }) => {
        const { bytes, formId } = await service.formPdf(params.sessionId ?? '');
        return { bytes, type: 'application/pdf', filename: `${formId}.pdf` };
      },
    },
    {
      method: 'POST',
      path: '/api/sessions/{sessionId}/end',
      operationId: 'session-end',
      summary: 'End the session; the server forgets it',
      tags: ['kiosk'],
      rate: 'kiosk',
      params: sessionParams,
      responses: { '200': { description: 'Ended' } },
      handler: async ({ params }) => {
        service.end(params.sessionId ?? '');
        return { json: { ended: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/board',
      operationId: 'board',
      summary: 'The display board now: latest calls and what each counter is dealing with',
      tags: ['board'],
      rate: 'read',
      responses: { '200': { description: 'Board' } },
      handler: async () => ({ json: deps.board() }),
    },
    {
      method: 'GET',
      path: '/api/board/events',
      operationId: 'board-events',
      summary: 'Server-Sent Events: a `board` event with the whole board after every change',
      tags: ['board'],
      rate: 'read',
      responses: { '200': { description: 'text/event-stream', contentType: 'text/event-stream' } },
      handler: deps.sse,
    },
    {
      method: 'GET',
      path: '/api/counters',
      operationId: 'counters',
      summary: 'The counters and the services each one serves',
      tags: ['counter'],
      rate: 'read',
      responses: { '200': { description: 'Counters' } },
      handler: async () => ({ json: { counters: centre.counters, services: centre.services } }),
    },
    ...(['open', 'close'] as const).map(
      (action): Route => ({
        method: 'POST',
        path: `/api/counters/{counterId}/${action}`,
        operationId: `counter-${action}`,
        summary:
          action === 'open' ? 'Open a counter (it then counts in wait estimates and can call)' : 'Close a counter',
        tags: ['counter'],
        rate: 'counter',
        params: { counterId: idPattern },
        responses: { '200': { description: action === 'open' ? 'Opened' : 'Closed' } },
        handler: async ({ params }) => {
          const id = counter(params.counterId ?? '');
          await (action === 'open' ? queue.openCounter(id) : queue.closeCounter(id));
          return { json: { open: action === 'open' } };
        },
      }),
    ),
    {
      method: 'POST',
      path: '/api/counters/{counterId}/call-next',
      operationId: 'counter-call-next',
      summary: 'Call the next ticket for this counter (atomic across counters and servers)',
      tags: ['counter'],
      rate: 'counter',
      params: { counterId: idPattern },
      responses: {
        '200': {
          description: '`ticket` or null when nobody waits',
          schema: obj({ ticket: { type: ['object', 'null'] } }),
        },
      },
      handler: async ({ params }) => ({
        json: { ticket: publicTicket(await queue.callNext(counter(params.counterId ?? ''))) },
      }),
    },
    {
      method: 'GET',
      path: '/api/counters/{counterId}/tickets',
      operationId: 'counter-tickets',
      summary: 'Tickets at this counter now (called or being served)',
      tags: ['counter'],
      rate: 'counter',
      params: { counterId: idPattern },
      responses: { '200': { description: 'Tickets' } },
      handler: async ({ params }) => ({
        json: { tickets: (await queue.ticketsAt(counter(params.counterId ?? ''))).map(publicTicket) },
      }),
    },
    ticketRoute('recall', 'Announce the ticket again', (id) => queue.recall(id)),
    ticketRoute('no-show', 'The citizen did not come', (id) => queue.noShow(id)),
    ticketRoute('serve', 'The citizen is at the counter: serving starts', (id) => queue.startServing(id)),
    ticketRoute('complete', 'Serving finished', (id) => queue.complete(id)),
    {
      method: 'POST',
      path: '/api/tickets/{ticketId}/transfer',
      operationId: 'ticket-transfer',
      summary: 'Send the ticket to another service (it keeps its place in time)',
      tags: ['counter'],
      rate: 'counter',
      params: { ticketId: idPattern },
      body: {
        kind: 'json',
        maxBytes: 1024,
        schema: obj({ serviceId: { type: 'string', pattern: `^${idPattern}$` } }, ['serviceId']),
      },
      responses: { '200': { description: 'The transferred ticket' } },
      handler: async ({ params, body }) => ({
        json: {
          ticket: publicTicket(await queue.transfer(params.ticketId ?? '', (body as { serviceId: string }).serviceId)),
        },
      }),
    },
  ];
}
