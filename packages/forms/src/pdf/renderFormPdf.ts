import * as fontkitModule from '@pdf-lib/fontkit';
import { formatDate, safeParseDate } from '@smart-citizen/core';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { AddressValue, LayoutBlock } from '../FormDefinition.js';
import { type FormIssue, formIssue } from '../FormIssue.js';
import { getPath, isPresent } from '../paths.js';
import { type FormRegistry, type RegisteredForm, defaultFormRegistry } from '../registry/FormRegistry.js';
import { type FontBytes, loadDefaultFonts } from './loadDefaultFonts.js';
import { FormsError } from '../errors.js';

// @pdf-lib/fontkit ships UMD for Node and ESM for bundlers; take the object either way.
const fontkit = ((fontkitModule as unknown as { default?: unknown }).default ?? fontkitModule) as typeof fontkitModule;

/** Options of {@link renderFormPdf}. */
export interface RenderFormPdfOptions {
  /** Where to find the form when given by id. @default the built-in registry */
  registry?: FormRegistry;
  /**
   * TTF/OTF bytes of a font with every Vietnamese letter (regular, optional bold).
   * @default Be Vietnam Pro from the installed package (Node only; required in a browser)
   */
  fonts?: FontBytes;
  /** Font size of the body text in points. @default 11 */
  fontSize?: number;
}

/** Result of {@link renderFormPdf}. */
export interface RenderFormPdfResult {
  /** The PDF file. */
  pdf: Uint8Array;
  pages: number;
  /** Characters the font lacks (replaced by `?`), over-long values. */
  issues: FormIssue[];
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const DOTS = '…………………………………………';
// Controls, bidi overrides and isolates are dropped: drawn text must read as the data does.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const MAX_VALUE = 2000;

interface Ctx {
  doc: PDFDocument;
  page: PDFPage;
  y: number;
  regular: PDFFont;
  bold: PDFFont;
  size: number;
  covers: (cp: number) => boolean;
  issues: FormIssue[];
  path: string;
}

function safeText(ctx: Ctx, text: string): string {
  let s = text.normalize('NFC').replace(UNSAFE, ' ');
  if (s.length > MAX_VALUE) {
    s = `${s.slice(0, MAX_VALUE)}…`;
    ctx.issues.push(
      formIssue(
        'forms/pdf-value-truncated',
        'warning',
        { en: 'a value was too long to print and was cut', vi: 'Giá trị quá dài, đã bị cắt khi in.' },
        ctx.path,
      ),
    );
  }
  let missing = 0;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === ' ' || ctx.covers(cp)) out += ch;
    else {
      out += '?';
      missing++;
    }
  }
  if (missing > 0) {
    ctx.issues.push(
      formIssue(
        'forms/pdf-glyph-missing',
        'warning',
        {
          en: `${missing} character(s) are not in the font and were printed as '?'`,
          vi: `${missing} ký tự không có trong phông chữ, đã in thành '?'.`,
        },
        ctx.path,
      ),
    );
  }
  return out;
}

// Measuring through fontkit shapes the text each time; forms repeat the same words, so
// widths are cached per font and size.
const widthCache = new WeakMap<PDFFont, Map<string, number>>();
function measure(font: PDFFont, text: string, size: number): number {
  let cache = widthCache.get(font);
  if (!cache) {
    cache = new Map();
    widthCache.set(font, cache);
  }
  let w = cache.get(text);
  if (w === undefined) {
    w = font.widthOfTextAtSize(text, 1000);
    if (cache.size > 20_000) cache.clear();
    cache.set(text, w);
  }
  return (w * size) / 1000;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const space = measure(font, ' ', size);
  for (const para of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of para.split(' ')) {
      const ww = measure(font, word, size);
      if (!line || lineWidth + space + ww <= width) {
        if (ww <= width || line) {
          if (line && lineWidth + space + ww <= width) {
            line = `${line} ${word}`;
            lineWidth += space + ww;
            continue;
          }
          if (!line && ww <= width) {
            line = word;
            lineWidth = ww;
            continue;
          }
        }
      }
      if (line) lines.push(line);
      // A single word wider than the line is cut by characters.
      let w = word;
      while (measure(font, w, size) > width && w.length > 1) {
        let cut = w.length - 1;
        while (cut > 1 && measure(font, w.slice(0, cut), size) > width) cut--;
        lines.push(w.slice(0, cut));
        w = w.slice(cut);
      }
      line = w;
      lineWidth = measure(font, w, size);
    }
    lines.push(line);
  }
  return lines;
}

function ensure(ctx: Ctx, height: number): void {
  if (ctx.y - height >= MARGIN) return;
  ctx.page = ctx.doc.addPage(A4);
  ctx.y = A4[1] - MARGIN;
}

function drawLines(
  ctx: Ctx,
  lines: string[],
  font: PDFFont,
  size: number,
  x: number,
  align: 'left' | 'center' | 'right' = 'left',
  width = A4[0] - 2 * MARGIN,
): void {
  const lead = size * 1.55;
  for (const l of lines) {
    ensure(ctx, lead);
    ctx.y -= lead;
    const w = measure(font, l, size);
    const dx = align === 'center' ? (width - w) / 2 : align === 'right' ? width - w : 0;
    ctx.page.drawText(l, { x: x + dx, y: ctx.y, size, font, color: rgb(0, 0, 0) });
  }
}

function valueText(v: unknown): string {
  if (!isPresent(v)) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return v.toLocaleString('vi-VN');
  if (typeof v === 'boolean') return v ? 'Có' : 'Không';
  if (typeof v === 'object' && v !== null && 'line' in v) return String((v as AddressValue).line);
  return '';
}

function labelFor(form: RegisteredForm, path: string): string {
  return form.fields.get(path)?.label.vi ?? path;
}

function drawField(ctx: Ctx, label: string, value: string): void {
  const text = value ? `${label}: ${safeText(ctx, value)}` : `${label}: ${DOTS}`;
  drawLines(ctx, wrap(text, ctx.regular, ctx.size, A4[0] - 2 * MARGIN), ctx.regular, ctx.size, MARGIN);
}

function drawBlock(ctx: Ctx, form: RegisteredForm, data: unknown, b: LayoutBlock): void {
  const width = A4[0] - 2 * MARGIN;
  switch (b.kind) {
    case 'heading':
      drawLines(ctx, wrap(b.text, ctx.bold, ctx.size, width), ctx.bold, ctx.size, MARGIN);
      return;
    case 'title':
      ctx.y -= 8;
      drawLines(ctx, wrap(b.text, ctx.bold, ctx.size + 3, width), ctx.bold, ctx.size + 3, MARGIN, 'center');
      ctx.y -= 6;
      return;
    case 'text':
      drawLines(ctx, wrap(b.text, ctx.regular, ctx.size, width), ctx.regular, ctx.size, MARGIN);
      return;
    case 'space':
      ctx.y -= b.height;
      return;
    case 'field':
      ctx.path = b.path;
      drawField(ctx, b.label ?? labelFor(form, b.path), valueText(getPath(data, b.path)));
      return;
    case 'row': {
      const segs = b.paths.map((p, i) => {
        ctx.path = p;
        const v = valueText(getPath(data, p));
        return `${b.labels?.[i] ?? labelFor(form, p)}: ${v ? safeText(ctx, v) : '……………'}`;
      });
      drawLines(ctx, wrap(segs.join(';   '), ctx.regular, ctx.size, width), ctx.regular, ctx.size, MARGIN);
      return;
    }
    case 'address': {
      ctx.path = b.path;
      const a = getPath(data, b.path) as AddressValue | undefined;
      drawLines(ctx, [b.label], ctx.regular, ctx.size, MARGIN);
      const indent = MARGIN + 14;
      const w = width - 14;
      const part = (label: string, v: string | undefined) =>
        drawLines(
          ctx,
          wrap(`${label}: ${v ? safeText(ctx, v) : DOTS}`, ctx.regular, ctx.size, w),
          ctx.regular,
          ctx.size,
          indent,
        );
      const head = [a?.houseNumber, a?.street, a?.hamlet].filter((x) => !!x).join(', ');
      part('Số nhà, ngách, hẻm, ngõ, đường phố/tổ/xóm/ấp/thôn', head || undefined);
      part('Xã/Phường/Đặc khu', a?.ward);
      if (a?.district) part('Quận/Huyện/Thị xã', a.district);
      part('Tỉnh/Thành phố', a?.province);
      if (a?.previous?.line) {
        drawLines(
          ctx,
          wrap(
            `(Địa chỉ theo đơn vị hành chính trước 01/7/2025: ${safeText(ctx, a.previous.line)})`,
            ctx.regular,
            ctx.size - 1.5,
            w,
          ),
          ctx.regular,
          ctx.size - 1.5,
          indent,
        );
      }
      return;
    }
    case 'table': {
      ctx.path = b.path;
      drawLines(ctx, [b.label], ctx.regular, ctx.size, MARGIN);
      ctx.y -= 5;
      const rows = getPath(data, b.path);
      const list = Array.isArray(rows) ? rows : [];
      const size = ctx.size - 1.5;
      const lead = size * 1.4;
      const total = b.columns.reduce((s, c) => s + c.width, 0);
      const scale = Math.min(1, width / total);
      const drawRow = (cells: string[], font: PDFFont) => {
        const wrapped = cells.map((c, i) => wrap(c, font, size, b.columns[i]!.width * scale - 6));
        const height = Math.max(...wrapped.map((w) => w.length)) * lead + 4;
        ensure(ctx, height);
        let x = MARGIN;
        const top = ctx.y;
        wrapped.forEach((lines, i) => {
          const cw = b.columns[i]!.width * scale;
          ctx.page.drawRectangle({
            x,
            y: top - height,
            width: cw,
            height,
            borderColor: rgb(0, 0, 0),
            borderWidth: 0.5,
          });
          lines.forEach((l, j) => {
            ctx.page.drawText(l, { x: x + 3, y: top - (j + 1) * lead, size, font });
          });
          x += cw;
        });
        ctx.y = top - height;
      };
      drawRow(
        b.columns.map((c) => c.label),
        ctx.bold,
      );
      list.forEach((row) => {
        drawRow(
          b.columns.map((c) => safeText(ctx, valueText(getPath(row, c.path)))),
          ctx.regular,
        );
      });
      if (list.length === 0)
        drawRow(
          b.columns.map(() => ''),
          ctx.regular,
        );
      return;
    }
    case 'signature': {
      ctx.y -= 10;
      const place = b.placePath ? valueText(getPath(data, b.placePath)) : '';
      const dateText = b.datePath ? valueText(getPath(data, b.datePath)) : '';
      const parsed = dateText ? safeParseDate(dateText, 'dd/mm/yyyy') : undefined;
      ctx.path = b.datePath ?? '';
      const when = parsed?.ok ? formatDate(parsed.value, 'words-vi') : 'ngày …… tháng …… năm ……';
      const line = `${place ? safeText(ctx, place) : '……………'}, ${when}`;
      drawLines(ctx, [line], ctx.regular, ctx.size, MARGIN, 'right', width);
      const colW = width / b.roles.length;
      ensure(ctx, 90);
      const top = ctx.y - ctx.size * 1.6;
      b.roles.forEach((role, i) => {
        const x = MARGIN + i * colW;
        const lines = wrap(role, ctx.bold, ctx.size - 1, colW - 8);
        lines.forEach((l, j) => {
          const w = ctx.bold.widthOfTextAtSize(l, ctx.size - 1);
          ctx.page.drawText(l, {
            x: x + (colW - w) / 2,
            y: top - j * (ctx.size * 1.3),
            size: ctx.size - 1,
            font: ctx.bold,
          });
        });
        const hint = '(Ký, ghi rõ họ tên)';
        const hw = ctx.regular.widthOfTextAtSize(hint, ctx.size - 2);
        ctx.page.drawText(hint, {
          x: x + (colW - hw) / 2,
          y: top - lines.length * (ctx.size * 1.3) - 2,
          size: ctx.size - 2,
          font: ctx.regular,
        });
      });
      ctx.y = top - 90;
      return;
    }
  }
}

/**
 * Print filled form data on A4 with the form's layout, in a font with every Vietnamese
 * letter embedded (subset). Values are drawn as text only: control and bidi characters are
 * dropped, characters the font lacks print as `?` (reported), nothing is interpreted.
 *
 * @param form - A form id or a registered form.
 * @param data - The form data (e.g. `fillForm(...).data`).
 * @param options - {@link RenderFormPdfOptions}.
 * @returns The PDF bytes, page count and issues.
 * @throws SmartCitizenError `forms/unknown-form`, `forms/pdf-font-unavailable`, `forms/pdf-font-invalid`.
 */
export async function renderFormPdf(
  form: string | RegisteredForm,
  data: Record<string, unknown>,
  options: RenderFormPdfOptions = {},
): Promise<RenderFormPdfResult> {
  const registered = typeof form === 'string' ? (options.registry ?? defaultFormRegistry()).get(form) : form;
  const def = registered.definition;
  const fonts = options.fonts ?? (await loadDefaultFonts());
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  let regular: PDFFont;
  let bold: PDFFont;
  let covers: (cp: number) => boolean;
  try {
    const face = fontkit.create(fonts.regular);
    covers = (cp) => face.hasGlyphForCodePoint(cp);
    regular = await doc.embedFont(fonts.regular, { subset: true });
    bold = fonts.bold ? await doc.embedFont(fonts.bold, { subset: true }) : regular;
  } catch (cause) {
    throw new FormsError('forms/pdf-font-invalid', 'the font could not be embedded', { cause });
  }
  // Metadata names the form, never the citizen.
  doc.setTitle(def.title.vi);
  doc.setSubject(`${def.id} ${def.version}`);
  doc.setProducer('@smart-citizen/forms');
  doc.setCreator('@smart-citizen/forms');
  const size = options.fontSize ?? 11;
  const ctx: Ctx = { doc, page: doc.addPage(A4), y: A4[1] - MARGIN, regular, bold, size, covers, issues: [], path: '' };
  const width = A4[0] - 2 * MARGIN;
  if (def.layout.code) {
    const w = regular.widthOfTextAtSize(def.layout.code, size - 2);
    ctx.page.drawText(def.layout.code, {
      x: A4[0] - MARGIN - w,
      y: A4[1] - MARGIN + 14,
      size: size - 2,
      font: regular,
    });
  }
  if (def.layout.nationalHeader ?? true) {
    drawLines(ctx, ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'], bold, size, MARGIN, 'center', width);
    drawLines(ctx, ['Độc lập - Tự do - Hạnh phúc'], bold, size, MARGIN, 'center', width);
    const lw = bold.widthOfTextAtSize('Độc lập - Tự do - Hạnh phúc', size);
    ctx.page.drawLine({
      start: { x: MARGIN + (width - lw) / 2, y: ctx.y - 3 },
      end: { x: MARGIN + (width + lw) / 2, y: ctx.y - 3 },
      thickness: 0.6,
    });
    ctx.y -= 8;
  }
  for (const b of def.layout.blocks) drawBlock(ctx, registered, data, b);
  const pdf = await doc.save();
  return { pdf, pages: doc.getPageCount(), issues: ctx.issues };
}
