/** True when running in Node.js (tesseract.js then reads its data from the installed packages). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}
