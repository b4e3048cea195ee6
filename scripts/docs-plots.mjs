#!/usr/bin/env node
// Bar charts of the docs (docs/images/*.svg) from docs/figures.json: plain SVG, no plotting
// library, so the docs build needs nothing more. A target, when given, is a dashed tick.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const figures = JSON.parse(readFileSync(new URL('docs/figures.json', root), 'utf8'));
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function chart({ title, unit, bars }) {
  const W = 760;
  const left = 300;
  const row = 34;
  const top = 44;
  const H = top + bars.length * row + 24;
  const max = Math.max(...bars.flatMap((b) => [b.value, b.target ?? 0])) * 1.08;
  const x = (v) => left + ((W - left - 70) * v) / max;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" font-family="system-ui, Arial, sans-serif" font-size="13">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="700" fill="#111">${esc(title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * row;
    const met = b.target === undefined ? true : unit === 'ms' ? b.value <= b.target : b.value >= b.target;
    parts.push(
      `<text x="${left - 8}" y="${y + 17}" text-anchor="end" fill="#111">${esc(b.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${x(b.value) - left}" height="20" fill="${met ? '#0b4f9c' : '#a50e0e'}"/>`,
      `<text x="${x(b.value) + 6}" y="${y + 18}" fill="#111">${b.value}${unit === '%' ? '%' : ` ${unit}`}</text>`,
    );
    if (b.target !== undefined)
      parts.push(
        `<line x1="${x(b.target)}" x2="${x(b.target)}" y1="${y}" y2="${y + 28}" stroke="#111" stroke-width="2" stroke-dasharray="3 2"/>`,
      );
  });
  parts.push(
    `<text x="${left}" y="${H - 6}" fill="#444">blue: target met · red: not met · dashed: target</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

mkdirSync(new URL('docs/images/', root), { recursive: true });
for (const name of ['accuracy', 'speed']) writeFileSync(new URL(`docs/images/${name}.svg`, root), chart(figures[name]));
console.log('docs/images/accuracy.svg, docs/images/speed.svg');
