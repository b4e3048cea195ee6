// The API row of the card-photo step (a card without a QR code, read by OCR on the server).
import type { Route } from './http.js';
import type { KioskService } from './kioskService.js';
import { MAX_CARD_IMAGE_BYTES } from './routes.js';

/** Issue codes a retake can carry (the reader's statuses and the kiosk's own), for the OpenAPI document. */
const retakeCodes = [
  'idcard/no-card',
  'idcard/card-cut-off',
  'idcard/too-small',
  'idcard/too-blurred',
  'idcard/unknown-card',
  'idcard/bad-image',
  'idcard/image-too-large',
  'idcard/glare',
  'idcard/low-confidence',
  'idcard/type-mismatch',
  'kiosk/show-front',
  'kiosk/show-back',
  'kiosk/field-unreadable',
  'kiosk/card-differs-from-record',
];

const identity = {
  type: 'object',
  properties: {
    idNumber: { type: 'string' },
    fullName: { type: 'string' },
    dateOfBirth: { type: 'string' },
    sex: { enum: ['M', 'F', 'unknown'] },
  },
};

/** `POST /api/sessions/{sessionId}/card-photo`: one still of the card (JPEG, PNG or WebP bytes). */
export function cardPhotoRoute(service: KioskService, sessionParams: Record<string, string>): Route {
  return {
    method: 'POST',
    path: '/api/sessions/{sessionId}/card-photo',
    operationId: 'session-card-photo',
    summary:
      'The card step for a card without a QR code (old CMND, CCCD 2016, a damaged code): a still of the card, read by OCR on the server (@smart-citizen/idcard). The printed ID number (12 digits, or the 9-digit CMND number) finds the record; the printed name and date of birth must agree with it. A photo the reader cannot use is a `retake` with the reason, not an error; after 6 photos with a card in them the session answers 429 `session/too-many-attempts`',
    tags: ['kiosk'],
    rate: 'card-ocr',
    params: sessionParams,
    body: { kind: 'image', maxBytes: MAX_CARD_IMAGE_BYTES },
    responses: {
      '200': {
        description:
          '`status: read` with the identity to confirm (`known`: the record was found), or `status: retake` with the side to photograph next and why (`issues`: reader codes such as `idcard/no-card`, `idcard/card-cut-off`, `idcard/too-small`, `idcard/too-blurred`, `idcard/glare`; `kiosk/show-back` when the back’s MRZ is needed)',
        schema: {
          oneOf: [
            {
              type: 'object',
              properties: {
                status: { const: 'read' },
                known: { type: 'boolean' },
                identity,
                cardType: { type: 'string' },
                portrait: { type: 'boolean' },
                issues: { type: 'array', items: { type: 'string' } },
              },
              required: ['status', 'known', 'identity', 'cardType', 'issues'],
            },
            {
              type: 'object',
              properties: {
                status: { const: 'retake' },
                side: { enum: ['front', 'back'] },
                issues: { type: 'array', items: { type: 'string', examples: retakeCodes } },
                attemptsLeft: { type: 'integer', minimum: 0 },
              },
              required: ['status', 'side', 'issues', 'attemptsLeft'],
            },
          ],
        },
      },
      '404': { description: 'No such session' },
      '503': { description: '`idcard/unavailable`: card OCR is off on this server (`KIOSK_IDCARD=0`)' },
    },
    handler: async ({ params, body }) => ({
      json: await service.cardPhoto(params.sessionId ?? '', body as Uint8Array),
    }),
  };
}
