// Test support of @smart-citizen/chip: a software eMRTD chip and a test PKI, for integrators'
// tests and this package's own. Not for production use.
export { SoftwareCard } from './testing/SoftwareCard.js';
export type { CardFault, SoftwareCardOptions } from './testing/SoftwareCard.js';
export {
  buildDg13,
  buildDg2,
  buildSod,
  createTestDocument,
  resignSod,
  testHolder,
  testMrz,
  tinyJpeg,
} from './testing/testDocument.js';
export type { TestDocument, TestDocumentOptions, TestHolder } from './testing/testDocument.js';
export { createTestPki, generateKeyPair, issueCertificate, signEcdsa, testName } from './testing/testPki.js';
export type { TestKeyPair, TestPki } from './testing/testPki.js';
