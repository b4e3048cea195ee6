// The chip rows of the kiosk's route table: the reader's status (JSON and Server-Sent Events for
// the kiosk page) and the session's chip read. Same validation, size caps and rate-limit groups
// as every other route (http.ts), and listed in the OpenAPI document.
import type { ChipStation, ChipStatus } from './chipStation.js';
import type { ChipKeyInput } from './chipStep.js';
import type { JsonSchema, Route } from './http.js';

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const error: JsonSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
};
const statusSchema: JsonSchema = {
  type: 'object',
  properties: {
    state: { enum: ['off', 'no-reader', 'ready', 'card', 'reading', 'read', 'error'] },
    reader: { type: 'string' },
    step: { type: 'string' },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    code: { type: 'string' },
  },
  required: ['state'],
};
const yymmdd = { type: 'string', pattern: '^\\d{6}$' };
/** The access key: CAN (6 digits) and/or the MRZ key (ICAO 9303-11 §9.7.2 fields). */
const keySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    can: { type: 'string', pattern: '^\\d{6}$' },
    mrz: {
      type: 'object',
      additionalProperties: false,
      properties: {
        documentNumber: { type: 'string', pattern: '^[0-9A-Z<]{1,20}$' },
        dateOfBirth: yymmdd,
        dateOfExpiry: yymmdd,
      },
      required: ['documentNumber', 'dateOfBirth', 'dateOfExpiry'],
    },
  },
};

/** The chip routes; `station` absent: the status says `off` and a read answers 503 `chip/no-reader`. */
export function chipRoutes(deps: {
  station: ChipStation | undefined;
  read: (sessionId: string, key: ChipKeyInput) => Promise<unknown>;
}): Route[] {
  const status = (): ChipStatus => deps.station?.status() ?? { state: 'off' };
  return [
    {
      method: 'GET',
      path: '/api/chip/status',
      operationId: 'chip-status',
      summary:
        'The chip reader now: off (not configured), no-reader, ready (no card), card, reading (step, portrait progress), read, error (guidance code)',
      tags: ['chip'],
      rate: 'read',
      responses: { '200': { description: 'Reader status', schema: statusSchema } },
      handler: async () => ({ json: status() }),
    },
    {
      method: 'GET',
      path: '/api/chip/events',
      operationId: 'chip-events',
      summary: 'Server-Sent Events: a `chip` event with the reader status after every change (no personal data)',
      tags: ['chip'],
      rate: 'read',
      responses: { '200': { description: 'text/event-stream', contentType: 'text/event-stream' } },
      handler: async ({ req, res }) => {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        const write = (s: ChipStatus) => res.write(`event: chip\ndata: ${JSON.stringify(s)}\n\n`);
        write(status());
        const stop = deps.station?.subscribe(write);
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(ping);
          stop?.();
        });
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/api/sessions/{sessionId}/chip',
      operationId: 'session-chip',
      summary:
        'Read the chip of the card on the kiosk’s reader: PACE with the CAN (sent, or from the ID number of the QR the session read) or the MRZ key (BAC fallback), DG1/DG2/DG13, passive authentication against the configured CSCAs, chip and active authentication; the chip’s identity to confirm. An authenticated chip’s portrait becomes the face reference',
      tags: ['kiosk', 'chip'],
      rate: 'kiosk',
      params: { sessionId: uuid },
      body: { kind: 'json', maxBytes: 1024, schema: keySchema },
      responses: {
        '200': {
          description:
            '`status: read`: identity to confirm, `known`, `authenticated`, `checks` (passive / chip / active), access protocol, issue codes',
        },
        '409': { description: '`chip/no-card`, `chip/no-key`, `chip/busy`, `chip/card-removed`', schema: error },
        '422': { description: '`chip/wrong-key`, `chip/unreadable`, `chip/unsupported`', schema: error },
        '503': { description: '`chip/no-reader`', schema: error },
        '504': { description: '`chip/timeout`: the chip stopped answering', schema: error },
      },
      handler: async ({ params, body }) => ({ json: await deps.read(params.sessionId ?? '', body as ChipKeyInput) }),
    },
  ];
}
