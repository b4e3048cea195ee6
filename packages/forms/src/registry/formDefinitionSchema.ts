/** JSON Schema of a {@link FormDefinition}: what `register` checks before compiling a form. @internal */
const localized = {
  type: 'object',
  additionalProperties: false,
  required: ['vi', 'en'],
  properties: { vi: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
} as const;

const transforms = {
  type: 'array',
  items: {
    enum: [
      'upper',
      'name-case',
      'normalize',
      'date',
      'date-words',
      'year',
      'sex',
      'address',
      'address-line',
      'identity-document',
      'card-type',
      'number-words',
    ],
  },
} as const;

const condition = {
  type: 'object',
  additionalProperties: false,
  required: ['oneOf'],
  properties: {
    identity: { type: 'string' },
    data: { type: 'string' },
    oneOf: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
  oneOf: [{ required: ['identity'] }, { required: ['data'] }],
} as const;

const path = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*$' } as const;

export const formDefinitionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'version', 'title', 'sources', 'schema', 'fields', 'layout'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
    title: localized,
    description: localized,
    procedures: { type: 'array', items: localized },
    sources: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['document', 'issuer'],
        properties: {
          document: { type: 'string', minLength: 1 },
          annex: { type: 'string' },
          issuer: { type: 'string', minLength: 1 },
          signed: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          effective: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          url: { type: 'string', pattern: '^https?://' },
          note: { type: 'string' },
        },
      },
    },
    schema: { type: 'object', required: ['type', 'properties'], properties: { type: { const: 'object' } } },
    fields: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'label'],
        properties: {
          path,
          label: localized,
          help: localized,
          htmlName: { type: 'string', minLength: 1 },
          answerTransform: transforms,
          from: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { identity: { type: 'string' }, data: path, transform: transforms, when: condition },
              oneOf: [{ required: ['identity'] }, { required: ['data'] }],
            },
          },
        },
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'path', 'message'],
        properties: {
          kind: { enum: ['date-after', 'date-not-future', 'required-if'] },
          path,
          after: path,
          if: path,
          oneOf: { type: 'array', items: { type: 'string' } },
          minYears: { type: 'integer', minimum: 0, maximum: 150 },
          message: localized,
        },
      },
    },
    layout: {
      type: 'object',
      additionalProperties: false,
      required: ['blocks'],
      properties: {
        code: { type: 'string' },
        nationalHeader: { type: 'boolean' },
        blocks: {
          type: 'array',
          items: {
            type: 'object',
            required: ['kind'],
            properties: {
              kind: { enum: ['heading', 'title', 'text', 'field', 'row', 'address', 'table', 'signature', 'space'] },
            },
          },
        },
      },
    },
  },
} as const;
