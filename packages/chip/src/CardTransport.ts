/**
 * The port between the chip code and a card reader: send one command APDU, get its response
 * APDU (data followed by SW1 SW2). Adapters: `createPcscTransport` (`@smart-citizen/chip/node`,
 * PC/SC readers), `SoftwareCard` (`@smart-citizen/chip/testing`). A WebUSB/WebHID adapter for
 * browsers is future work.
 */
export interface CardTransport {
  /**
   * Send `apdu` to the card and resolve with its raw response. Reject (with any error) when the
   * reader or card is gone; the chip code turns that into a `chip/transport` error.
   */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Release the reader. Optional; called once by `ChipReader.close()` when the reader owns the transport. */
  close?(): Promise<void>;
}
