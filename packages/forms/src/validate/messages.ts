import type { LocalizedText } from '../FormDefinition.js';

/**
 * Messages of the JSON Schema keywords, in Vietnamese and English (ajv-i18n has no
 * Vietnamese). `{label}` is the field's label in the same language, `{limit}` the keyword's
 * limit. They never quote the value, which may be personal data.
 */
export const keywordMessages: Record<string, LocalizedText> = {
  required: { vi: '{label}: chưa khai (bắt buộc).', en: '{label}: required.' },
  type: { vi: '{label}: kiểu dữ liệu không đúng (cần {limit}).', en: '{label}: wrong type (expected {limit}).' },
  enum: { vi: '{label}: phải là một trong các giá trị: {limit}.', en: '{label}: must be one of: {limit}.' },
  const: { vi: '{label}: giá trị không được chấp nhận.', en: '{label}: value not allowed.' },
  minLength: { vi: '{label}: phải có ít nhất {limit} ký tự.', en: '{label}: must have at least {limit} characters.' },
  maxLength: {
    vi: '{label}: không được dài quá {limit} ký tự.',
    en: '{label}: must not be longer than {limit} characters.',
  },
  pattern: { vi: '{label}: không đúng định dạng.', en: '{label}: does not have the expected form.' },
  minimum: { vi: '{label}: không được nhỏ hơn {limit}.', en: '{label}: must not be less than {limit}.' },
  maximum: { vi: '{label}: không được lớn hơn {limit}.', en: '{label}: must not be greater than {limit}.' },
  minItems: { vi: '{label}: cần ít nhất {limit} mục.', en: '{label}: needs at least {limit} items.' },
  minProperties: {
    vi: '{label}: cần chọn ít nhất {limit} nội dung.',
    en: '{label}: choose at least {limit} item(s).',
  },
  maxItems: { vi: '{label}: không được quá {limit} mục.', en: '{label}: must not have more than {limit} items.' },
  additionalProperties: {
    vi: '{label}: có trường không thuộc biểu mẫu ({limit}).',
    en: '{label}: has a field that is not in the form ({limit}).',
  },
  default: { vi: '{label}: giá trị không hợp lệ.', en: '{label}: invalid value.' },
};

/** Messages of the formats, used instead of the generic `format` message. */
export const formatMessages: Record<string, LocalizedText> = {
  'vn-date': {
    vi: '{label}: ngày không hợp lệ (ghi theo dạng ngày/tháng/năm, ví dụ 01/01/1999).',
    en: '{label}: not a valid date (write dd/mm/yyyy, e.g. 01/01/1999).',
  },
  'vn-full-date': {
    vi: '{label}: cần ghi đủ ngày, tháng, năm (ví dụ 01/01/2025).',
    en: '{label}: needs a full date dd/mm/yyyy (e.g. 01/01/2025).',
  },
  'vn-personal-id': {
    vi: '{label}: số định danh cá nhân phải gồm 12 chữ số hợp lệ.',
    en: '{label}: a personal identification number has 12 valid digits.',
  },
  'vn-phone': { vi: '{label}: số điện thoại không hợp lệ.', en: '{label}: not a valid Vietnamese phone number.' },
  'vn-name': {
    vi: '{label}: họ tên chỉ gồm chữ cái, dấu cách, dấu gạch nối.',
    en: '{label}: a name may only contain letters, spaces and hyphens.',
  },
  email: { vi: '{label}: địa chỉ thư điện tử không hợp lệ.', en: '{label}: not a valid email address.' },
  uri: { vi: '{label}: địa chỉ trang web không hợp lệ.', en: '{label}: not a valid web address.' },
  default: { vi: '{label}: không đúng định dạng.', en: '{label}: wrong format.' },
};

const TYPE_NAMES: Record<string, LocalizedText> = {
  string: { vi: 'chuỗi ký tự', en: 'text' },
  integer: { vi: 'số nguyên', en: 'a whole number' },
  number: { vi: 'số', en: 'a number' },
  object: { vi: 'nhóm thông tin', en: 'an object' },
  array: { vi: 'danh sách', en: 'a list' },
  boolean: { vi: 'có/không', en: 'yes/no' },
};

/** @internal */
export function typeName(t: string, lang: 'vi' | 'en'): string {
  return TYPE_NAMES[t]?.[lang] ?? t;
}

/** @internal */
export function fillTemplate(template: string, label: string, limit: string): string {
  return template.replace('{label}', label).replace('{limit}', limit);
}
