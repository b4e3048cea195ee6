// import.meta.url for the CommonJS builds (tsup.base.ts injects it there only). Same as tsup's
// own shim, which comes with an ESM __dirname shim that imports node:path and node:url at the
// top of every ESM chunk and so breaks browser bundles.
const getImportMetaUrl = () =>
  typeof document === 'undefined'
    ? new URL(`file:${__filename}`).href
    : document.currentScript && document.currentScript.tagName.toUpperCase() === 'SCRIPT'
      ? document.currentScript.src
      : new URL('main.js', document.baseURI).href;

export const importMetaUrl = /* @__PURE__ */ getImportMetaUrl();
