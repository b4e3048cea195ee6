// `@smart-citizen/forms/pdf`: printing a form to PDF. A subpath of its own so that a browser
// bundle of the main entry (fill, validate, HTML) never includes pdf-lib and fontkit.
export { renderFormPdf } from './renderFormPdf.js';
export type { RenderFormPdfOptions, RenderFormPdfResult } from './renderFormPdf.js';
export { loadDefaultFonts } from './loadDefaultFonts.js';
export type { FontBytes } from './loadDefaultFonts.js';
