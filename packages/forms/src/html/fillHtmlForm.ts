import { foldForCompare } from '@smart-citizen/core';
import type { FieldDefinition } from '../FormDefinition.js';

/**
 * Where a data field goes on the page: an input `name` (a plain string is a name), or a CSS
 * selector (`{ selector: '#dob' }`).
 */
export type HtmlFieldTarget = string | { name: string } | { selector: string };

/** Data path → target on the page. */
export type HtmlFieldMapping = Record<string, HtmlFieldTarget>;

/** Why a field was not written. */
export type HtmlFillSkipReason = 'not-found' | 'no-value' | 'unsupported-value' | 'no-matching-option' | 'read-only';

/** Result of {@link fillHtmlForm}. */
export interface FillHtmlFormResult {
  /** Data paths written into the page. */
  filled: string[];
  /** Data paths not written, with the reason. */
  skipped: { path: string; reason: HtmlFillSkipReason }[];
}

/** Options of {@link fillHtmlForm}. */
export interface FillHtmlFormOptions {
  /**
   * Events dispatched on each written element, in order (bubbling). Checkboxes and radio
   * buttons are clicked instead, which fires `click`, `input` and `change` natively.
   * @default ['input', 'change']
   */
  events?: string[];
  /** Blur each element after writing it (some portals validate on blur). @default false */
  blur?: boolean;
}

/**
 * The default mapping of a form definition: each field's `htmlName` (the name of the input on
 * the public-service portal).
 * @param fields - The form's fields (`registry.get(id).definition.fields`).
 * @returns Data path → input name.
 */
export function htmlMappingFromFields(fields: readonly FieldDefinition[]): HtmlFieldMapping {
  const out: HtmlFieldMapping = {};
  for (const f of fields) if (f.htmlName) out[f.path] = f.htmlName;
  return out;
}

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function cssString(s: string): string {
  // A CSS string literal: backslash-escape quotes, backslashes and line breaks.
  return `"${s.replace(/["\\]/g, '\\$&').replace(/[\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

function findElements(root: ParentNode, target: HtmlFieldTarget): Element[] {
  try {
    if (typeof target === 'string') return [...root.querySelectorAll(`[name=${cssString(target)}]`)];
    if ('name' in target) return [...root.querySelectorAll(`[name=${cssString(target.name)}]`)];
    return [...root.querySelectorAll(target.selector)];
  } catch {
    // An invalid selector finds nothing rather than throwing into the portal page.
    return [];
  }
}

function toText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v !== null && typeof v === 'object' && typeof (v as { line?: unknown }).line === 'string')
    return (v as { line: string }).line;
  return undefined;
}

function nativeSetter(el: Element, prop: 'value' | 'checked'): ((v: unknown) => void) | undefined {
  // Frameworks (React) shadow `value` on the element instance to track changes; the setter of
  // the element's own prototype writes past that tracker so the framework sees the change.
  let proto: object | null = Object.getPrototypeOf(el);
  while (proto) {
    const d = Object.getOwnPropertyDescriptor(proto, prop);
    if (d?.set) {
      const set = d.set;
      return (v) => set.call(el, v);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}

function dispatch(el: Element, events: readonly string[]): void {
  for (const type of events)
    el.dispatchEvent(new Event(type, { bubbles: true, cancelable: type !== 'change' && type !== 'input' }));
}

function isoFromVn(text: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}

/**
 * Fill an existing page's form (a public-service portal) with form data: each mapped field
 * is found by input name or CSS selector, written with the element's native value setter,
 * and announced with `input` and `change` events, so React, Vue and plain listeners all see
 * it. Values are only ever assigned as `value`/`checked`/selected option: never parsed as
 * HTML, so a hostile string stays a string.
 *
 * @param root - The `<form>` element, or any container (or `document`).
 * @param data - The form data (e.g. `fillForm(...).data`).
 * @param mapping - Data path → input name or selector; see {@link htmlMappingFromFields}.
 * @param options - {@link FillHtmlFormOptions}.
 * @returns Which paths were written and which were skipped, with the reason.
 */
export function fillHtmlForm(
  root: ParentNode,
  data: Record<string, unknown>,
  mapping: HtmlFieldMapping,
  options: FillHtmlFormOptions = {},
): FillHtmlFormResult {
  const events = options.events ?? ['input', 'change'];
  const result: FillHtmlFormResult = { filled: [], skipped: [] };
  const skip = (path: string, reason: HtmlFillSkipReason) => result.skipped.push({ path, reason });
  for (const [path, target] of Object.entries(mapping)) {
    const text = toText(getPath(data, path));
    if (text === undefined || text === '') {
      skip(path, getPath(data, path) === undefined ? 'no-value' : 'unsupported-value');
      continue;
    }
    const elements = findElements(root, target);
    const first = elements[0];
    if (!first) {
      skip(path, 'not-found');
      continue;
    }
    const tag = first.tagName.toLowerCase();
    const type = tag === 'input' ? ((first as HTMLInputElement).type || 'text').toLowerCase() : tag;
    if ((first as HTMLInputElement).disabled || (first as HTMLInputElement).readOnly) {
      skip(path, 'read-only');
      continue;
    }
    if (type === 'radio') {
      const want = foldForCompare(text);
      const radio = elements.find((e) => {
        const r = e as HTMLInputElement;
        const labelText = r.labels?.[0]?.textContent ?? '';
        return foldForCompare(r.value) === want || foldForCompare(labelText) === want;
      }) as HTMLInputElement | undefined;
      if (!radio) {
        skip(path, 'no-matching-option');
        continue;
      }
      if (!radio.checked) radio.click();
      result.filled.push(path);
      continue;
    }
    if (type === 'checkbox') {
      const box = first as HTMLInputElement;
      const want =
        ['true', '1', 'có', 'co', 'yes', 'x'].includes(foldForCompare(text)) ||
        foldForCompare(text) === foldForCompare(box.value);
      if (box.checked !== want) box.click();
      result.filled.push(path);
      continue;
    }
    if (tag === 'select') {
      const select = first as HTMLSelectElement;
      const want = foldForCompare(text);
      const option =
        [...select.options].find((o) => o.value === text) ??
        [...select.options].find((o) => foldForCompare(o.value) === want || foldForCompare(o.text) === want);
      if (!option) {
        skip(path, 'no-matching-option');
        continue;
      }
      nativeSetter(select, 'value')?.(option.value);
      dispatch(select, events);
      result.filled.push(path);
      continue;
    }
    if (tag === 'input' || tag === 'textarea') {
      const value = type === 'date' ? isoFromVn(text) : text;
      if (value === undefined) {
        skip(path, 'unsupported-value');
        continue;
      }
      const set = nativeSetter(first, 'value');
      if (!set) {
        skip(path, 'not-found');
        continue;
      }
      (first as HTMLElement).focus?.();
      set(value);
      dispatch(first, events);
      if (options.blur) (first as HTMLElement).blur?.();
      result.filled.push(path);
      continue;
    }
    skip(path, 'not-found');
  }
  return result;
}
