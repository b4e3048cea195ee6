import { isSmartCitizenError } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../FormDefinition.js';
import { createFormRegistry } from './FormRegistry.js';

const minimal = (): FormDefinition => ({
  id: 'pet-licence',
  version: '1.0.0',
  title: { vi: 'Tờ khai thử', en: 'Test form' },
  sources: [{ document: 'Quyết định thử', issuer: 'Ủy ban nhân dân' }],
  schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['fullName'],
    properties: { fullName: { type: 'string', format: 'vn-name' }, phone: { type: 'string', format: 'vn-phone' } },
  },
  fields: [
    { path: 'fullName', label: { vi: 'Họ tên', en: 'Name' }, from: [{ identity: 'fullName', transform: ['upper'] }] },
    { path: 'phone', label: { vi: 'Điện thoại', en: 'Phone' } },
  ],
  layout: { blocks: [{ kind: 'field', path: 'fullName' }] },
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isSmartCitizenError(err) ? err.code : 'untyped';
  }
  return undefined;
}

describe('FormRegistry', () => {
  it('lists the six built-in forms with their legal sources', () => {
    const r = createFormRegistry();
    const list = r.list();
    expect(list.map((f) => f.id).sort()).toEqual([
      'birth-registration',
      'business-household',
      'cc01',
      'ct01',
      'dc02',
      'marital-status',
    ]);
    const ct01 = list.find((f) => f.id === 'ct01');
    expect(ct01?.sources[0]).toBe('Thông tư 53/2025/TT-BCA, Mẫu CT01 — Tờ khai thay đổi thông tin cư trú');
    expect(ct01?.version).toBe('1.1.0');
    expect(list.find((f) => f.id === 'dc02')?.sources[0]).toContain('Thông tư 17/2024/TT-BCA, Mẫu DC02');
    // The 2019 CC01 is kept but cited for what it is: the circular that issued it, now repealed.
    expect(list.find((f) => f.id === 'cc01')?.sources[0]).toContain('Thông tư 41/2019/TT-BCA');
    expect(list.find((f) => f.id === 'cc01')?.sources.join(' ')).not.toContain('16/2024');
    expect(list.find((f) => f.id === 'birth-registration')?.sources[0]).toContain('Thông tư 04/2024/TT-BTP');
    expect(list.find((f) => f.id === 'birth-registration')?.sources[1]).toContain('Thông tư 04/2020/TT-BTP');
    expect(list.find((f) => f.id === 'birth-registration')?.version).toBe('1.1.0');
    expect(list.find((f) => f.id === 'marital-status')?.version).toBe('1.1.0');
    expect(list.find((f) => f.id === 'marital-status')?.sources[0]).toContain('Thông tư 04/2024/TT-BTP');
    expect(list.find((f) => f.id === 'business-household')?.sources[0]).toContain('Thông tư 68/2025/TT-BTC');
    expect(list.find((f) => f.id === 'business-household')?.version).toBe('2.0.0');
  });

  it('gets a form by id (latest) and by exact version', () => {
    const r = createFormRegistry({ builtins: false });
    r.register(minimal());
    r.register({ ...minimal(), version: '1.10.0' });
    r.register({ ...minimal(), version: '1.2.0' });
    expect(r.get('pet-licence').definition.version).toBe('1.10.0');
    expect(r.get('pet-licence', '1.0.0').definition.version).toBe('1.0.0');
    expect(r.has('pet-licence', '1.2.0')).toBe(true);
    expect(codeOf(() => r.get('pet-licence', '9.9.9'))).toBe('forms/unknown-form');
    expect(codeOf(() => r.get('nope'))).toBe('forms/unknown-form');
  });

  it('refuses a duplicate id and version', () => {
    const r = createFormRegistry({ builtins: false });
    r.register(minimal());
    expect(codeOf(() => r.register(minimal()))).toBe('forms/duplicate-form');
  });

  it('validates a definition when it is registered', () => {
    const r = createFormRegistry({ builtins: false });
    const bad = (mutate: (d: FormDefinition) => void) => {
      const d = minimal();
      mutate(d);
      return codeOf(() => r.register(d));
    };
    expect(
      bad((d) => {
        d.id = 'Bad Id';
      }),
    ).toBe('forms/invalid-definition');
    expect(
      bad((d) => {
        d.sources = [];
      }),
    ).toBe('forms/invalid-definition');
    expect(bad((d) => d.fields.push({ path: 'notInSchema', label: { vi: 'x', en: 'x' } }))).toBe(
      'forms/invalid-definition',
    );
    expect(
      bad((d) => {
        d.schema = { type: 'object', properties: { fullName: { type: 'strin' } } };
      }),
    ).toBe('forms/invalid-definition');
    expect(
      bad((d) => {
        d.schema = { type: 'object', properties: { fullName: { type: 'string', format: 'no-such' } } };
      }),
    ).toBe('forms/invalid-definition');
    expect(bad((d) => d.layout.blocks.push({ kind: 'field', path: 'ghost' }))).toBe('forms/invalid-definition');
    expect(
      bad((d) => {
        d.rules = [{ kind: 'date-not-future', path: 'ghost', message: { vi: 'x', en: 'x' } }];
      }),
    ).toBe('forms/invalid-definition');
    expect(
      bad((d) => {
        (d.fields[0] as { from: unknown }).from = [{ identity: 'fullName', transform: ['shout'] }];
      }),
    ).toBe('forms/invalid-definition');
    expect(codeOf(() => r.register(null as unknown as FormDefinition))).toBe('forms/invalid-definition');
  });

  it('keeps its own copy of a registered definition', () => {
    const r = createFormRegistry({ builtins: false });
    const d = minimal();
    r.register(d);
    d.title.vi = 'changed';
    expect(r.get('pet-licence').definition.title.vi).toBe('Tờ khai thử');
  });
});
