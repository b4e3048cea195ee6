/** Segments of a dotted path; `__proto__`-like segments are refused so data can never reach a prototype. @internal */
export function splitPath(path: string): string[] {
  const parts = path.split('.');
  for (const p of parts) {
    if (p === '' || p === '__proto__' || p === 'prototype' || p === 'constructor') {
      throw new TypeError(`invalid field path '${path}'`);
    }
  }
  return parts;
}

/** Value at a dotted path, or undefined. @internal */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Set a value at a dotted path, creating plain objects on the way. @internal */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = splitPath(path);
  let cur: Record<string, unknown> = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    const next = Object.hasOwn(cur, p) ? cur[p] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const created: Record<string, unknown> = {};
      cur[p] = created;
      cur = created;
    } else {
      cur = next as Record<string, unknown>;
    }
  }
  cur[parts[parts.length - 1]!] = value;
}

/** True for a value that counts as given: not undefined/null, not an empty or blank string, not an empty array. @internal */
export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim().length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}
