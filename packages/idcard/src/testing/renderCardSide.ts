import type { Rng } from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import type { ModuleMatrix } from '@smart-citizen/qr/testing';
import type { CardFieldName } from '../cardTypes.js';
import type { CardLayout, MmBox } from '../layout/CardLayout.js';
import { CANONICAL_HEIGHT, CANONICAL_PX_PER_MM, CANONICAL_WIDTH } from '../layout/canonical.js';
import { canvasToRaster, FONTS, loadCanvas, rasterToRgba } from './canvasRuntime.js';
import { type GeneratedIdentity, printedFieldText } from './randomIdentity.js';

/** Pictures and codes drawn on a card side. */
export interface CardSideAssets {
  portrait?: RasterImage;
  /** The index-finger prints, at the card's resolution ({@link CANONICAL_PX_PER_MM}): drawn at life size, centred in their boxes. */
  leftIndex?: RasterImage;
  rightIndex?: RasterImage;
  qr?: ModuleMatrix;
  pdf417?: ModuleMatrix;
}

/** A rendered card side and what it prints. */
export interface RenderedCardSide {
  /** RGBA, {@link CANONICAL_WIDTH} × {@link CANONICAL_HEIGHT}. */
  image: RasterImage;
  /** Printed text per field, lines joined by a space (ground truth). */
  fields: Partial<Record<CardFieldName, string>>;
  /** Printed text per value line box. */
  fieldLines: Partial<Record<CardFieldName, string[]>>;
}

const S = CANONICAL_PX_PER_MM;
const rgb = (c: readonly number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;

type Ctx = import('@napi-rs/canvas').SKRSContext2D;

/** Draw text into a box: font size from the box height, squeezed horizontally when too wide. */
function drawText(
  ctx: Ctx,
  text: string,
  b: MmBox,
  family: string,
  opts: { bold?: boolean; color?: readonly number[]; align?: 'left' | 'center'; size?: number },
): void {
  const px = (opts.size ?? 0.82) * b.h * S;
  ctx.font = `${opts.bold ? 'bold ' : ''}${px.toFixed(1)}px ${family}`;
  ctx.fillStyle = rgb(opts.color ?? [30, 30, 35]);
  ctx.textBaseline = 'alphabetic';
  const width = ctx.measureText(text).width;
  const maxW = b.w * S;
  const sx = width > maxW ? maxW / width : 1;
  const x = opts.align === 'center' ? b.x * S + (maxW - width * sx) / 2 : b.x * S;
  ctx.save();
  ctx.translate(x, (b.y + b.h * 0.8) * S);
  ctx.scale(sx, 1);
  ctx.fillText(text, 0, 0);
  ctx.restore();
}

/** Split `text` over the line boxes by words, filling each line before the next. */
function wrap(ctx: Ctx, text: string, lines: readonly MmBox[], family: string, bold: boolean): string[] {
  if (lines.length <= 1) return [text];
  const words = text.split(' ');
  const out: string[] = [];
  let current = '';
  for (const w of words) {
    const box = lines[out.length] as MmBox;
    const trial = current === '' ? w : `${current} ${w}`;
    ctx.font = `${bold ? 'bold ' : ''}${(0.82 * box.h * S).toFixed(1)}px ${family}`;
    if (current !== '' && ctx.measureText(trial).width > box.w * S && out.length < lines.length - 1) {
      out.push(current);
      current = w;
    } else {
      current = trial;
    }
  }
  out.push(current);
  return out;
}

function drawPattern(ctx: Ctx, layout: CardLayout, rng: Rng): void {
  ctx.fillStyle = rgb(layout.background);
  ctx.fillRect(0, 0, CANONICAL_WIDTH, CANONICAL_HEIGHT);
  ctx.strokeStyle = rgb(layout.pattern);
  ctx.globalAlpha = 0.45;
  ctx.lineWidth = 1.2;
  const phase = rng.next() * Math.PI * 2;
  for (let k = 0; k < 36; k++) {
    ctx.beginPath();
    for (let x = 0; x <= CANONICAL_WIDTH; x += 6) {
      const y = (k / 36) * CANONICAL_HEIGHT * 1.2 + 14 * Math.sin(x / 47 + k * 0.6 + phase) + 9 * Math.sin(x / 19 - k);
      if (x === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function drawEmblem(ctx: Ctx, b: MmBox): void {
  const cx = (b.x + b.w / 2) * S;
  const cy = (b.y + b.h / 2) * S;
  const r = (Math.min(b.w, b.h) / 2) * S;
  ctx.fillStyle = 'rgb(214,170,40)';
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = 'rgb(200,30,40)';
  ctx.beginPath();
  ctx.arc(cx, cy, r * 0.78, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = 'rgb(250,215,60)';
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r * 0.5 : r * 0.2;
    ctx.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
  }
  ctx.fill();
}

async function drawImage(ctx: Ctx, img: RasterImage, b: MmBox, mode: 'cover' | 'ink'): Promise<void> {
  const { createCanvas, ImageData } = await loadCanvas();
  const src = createCanvas(img.width, img.height);
  src.getContext('2d').putImageData(new ImageData(rasterToRgba(img), img.width, img.height), 0, 0);
  const bw = b.w * S;
  const bh = b.h * S;
  ctx.save();
  if (mode === 'ink') {
    // ink: a print at life size (the image is at the card's own resolution), centred in the box
    // and clipped to it, multiplied into the card's background like ink.
    ctx.globalCompositeOperation = 'multiply';
    ctx.beginPath();
    ctx.rect(b.x * S, b.y * S, bw, bh);
    ctx.clip();
    ctx.drawImage(src, b.x * S + (bw - img.width) / 2, b.y * S + (bh - img.height) / 2);
  } else {
    // cover: crop the source to the box's aspect ratio around its centre.
    const scale = Math.max(bw / img.width, bh / img.height);
    const sw = bw / scale;
    const sh = bh / scale;
    ctx.drawImage(src, (img.width - sw) / 2, (img.height - sh) / 2, sw, sh, b.x * S, b.y * S, bw, bh);
  }
  ctx.restore();
}

function drawModules(ctx: Ctx, m: ModuleMatrix, b: MmBox, square: boolean): void {
  const mw = (b.w * S) / m.width;
  const mh = (b.h * S) / m.height;
  const unit = square ? Math.min(mw, mh) : 0;
  ctx.fillStyle = '#fff';
  ctx.fillRect(b.x * S, b.y * S, b.w * S, b.h * S);
  ctx.fillStyle = '#111';
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      if (m.modules[y * m.width + x])
        ctx.fillRect(b.x * S + x * (unit || mw), b.y * S + y * (unit || mh), (unit || mw) + 0.3, (unit || mh) + 0.3);
    }
  }
}

/**
 * Draw one card side at the canonical resolution (12 px/mm) from its layout, an identity and
 * the pictures: background and security pattern, emblem, headers, bilingual labels, values
 * (Arimo, or Tinos on the old CMND), portrait, index-finger prints, QR / PDF417, chip, MRZ.
 *
 * @param layout - The side's {@link CardLayout}.
 * @param identity - What to print.
 * @param assets - Pictures and codes; boxes without one are drawn empty.
 * @param rng - Seeded random source (pattern phase, signature).
 */
export async function renderCardSide(
  layout: CardLayout,
  identity: GeneratedIdentity,
  assets: CardSideAssets,
  rng: Rng,
): Promise<RenderedCardSide> {
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(CANONICAL_WIDTH, CANONICAL_HEIGHT);
  const ctx = canvas.getContext('2d');
  const family = layout.type === 'cmnd-9' ? FONTS.serif : FONTS.sans;
  drawPattern(ctx, layout, rng);
  if (layout.emblem) drawEmblem(ctx, layout.emblem);
  for (const t of layout.staticTexts) drawText(ctx, t.text, t.box, family, { ...t, ...(t.bold ? { bold: true } : {}) });
  const fields: RenderedCardSide['fields'] = {};
  const fieldLines: RenderedCardSide['fieldLines'] = {};
  for (const f of layout.fields) {
    if (f.label) drawText(ctx, f.label.text, f.label.box, family, { size: 0.8 });
    const text = printedFieldText(identity, f.field, f.upperCase === true);
    const lines = wrap(ctx, text, f.lines, family, f.bold === true);
    lines.forEach((line, i) => {
      drawText(ctx, line, f.lines[i] as MmBox, family, {
        ...(f.bold ? { bold: true } : {}),
        ...(f.color ? { color: f.color } : {}),
      });
    });
    fields[f.field] = lines.join(' ');
    fieldLines[f.field] = lines;
  }
  if (layout.portrait) {
    if (assets.portrait) await drawImage(ctx, assets.portrait, layout.portrait, 'cover');
    ctx.strokeStyle = 'rgb(120,120,120)';
    ctx.strokeRect(layout.portrait.x * S, layout.portrait.y * S, layout.portrait.w * S, layout.portrait.h * S);
  }
  if (layout.fingerprints) {
    for (const key of ['leftIndex', 'rightIndex'] as const) {
      const b = layout.fingerprints[key];
      const print = assets[key];
      if (print) await drawImage(ctx, print, b, 'ink');
      ctx.strokeStyle = 'rgb(90,90,90)';
      ctx.strokeRect(b.x * S, b.y * S, b.w * S, b.h * S);
    }
  }
  if (layout.qr && assets.qr) drawModules(ctx, assets.qr, layout.qr, true);
  if (layout.pdf417 && assets.pdf417) drawModules(ctx, assets.pdf417, layout.pdf417, false);
  if (layout.chip) {
    const c = layout.chip;
    ctx.fillStyle = 'rgb(212,180,96)';
    ctx.fillRect(c.x * S, c.y * S, c.w * S, c.h * S);
    ctx.strokeStyle = 'rgb(150,120,50)';
    ctx.lineWidth = 2;
    ctx.strokeRect(c.x * S, c.y * S, c.w * S, c.h * S);
    ctx.beginPath();
    ctx.moveTo((c.x + c.w / 2) * S, c.y * S);
    ctx.lineTo((c.x + c.w / 2) * S, (c.y + c.h) * S);
    ctx.moveTo(c.x * S, (c.y + c.h / 2) * S);
    ctx.lineTo((c.x + c.w) * S, (c.y + c.h / 2) * S);
    ctx.stroke();
  }
  if (layout.mrz && identity.mrz) {
    layout.mrz.forEach((b, i) => {
      drawText(ctx, identity.mrz?.[i] ?? '', { ...b, w: 76.2 }, FONTS.mono, { size: 0.78, color: [20, 20, 20] });
    });
  }
  return { image: canvasToRaster(ctx, CANONICAL_WIDTH, CANONICAL_HEIGHT), fields, fieldLines };
}
