// Node-only adapters of @smart-citizen/chip: a PC/SC reader through pcsc-mini, and the bridge
// that puts a software card into vsmartcard's virtual reader (vpcd) for end-to-end tests.
export { createPcscTransport } from './node/pcscTransport.js';
export type { PcscTransport, PcscTransportOptions } from './node/pcscTransport.js';
export { connectVirtualCard } from './node/vpcdBridge.js';
export type { VirtualCardConnection, VirtualCardOptions, VirtualIcc } from './node/vpcdBridge.js';
