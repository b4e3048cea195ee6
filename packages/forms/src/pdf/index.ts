// `@smart-citizen/forms/pdf`: printing a form to PDF. A subpath of its own so that a browser
// bundle of the main entry (fill, validate, HTML) never includes pdf-lib and fontkit.
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './renderFormPdf.js';
export * from './loadDefaultFonts.js';
