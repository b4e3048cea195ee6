// A software card slot: the kiosk's chip station over @smart-citizen/chip's SoftwareCard, in
// process (no pcscd). Tests put a card on it, lift it off, or lift it off during a read.
import type { CardTransport } from '@smart-citizen/chip';
import type { ChipSlot, ChipSlotState } from './chipStation.js';

/** A card the slot can hold: the software card, or any transport with a reset. */
export type SlotCard = CardTransport & { reset?(): void };

/** A {@link ChipSlot} the caller fills. */
export interface SoftwareSlot extends ChipSlot {
  /** Attach or detach the reader itself. */
  attach(attached: boolean): void;
  /** Put a card on the reader (replacing the one there). */
  insert(card: SlotCard): void;
  /** Lift the card off the reader: a read in progress fails from its next APDU on. */
  remove(): void;
}

/**
 * A software slot.
 * @param reader - the reader's name. @default 'Software reader'
 */
export function createSoftwareSlot(reader = 'Software reader'): SoftwareSlot {
  let attached = true;
  let card: SlotCard | undefined;
  const listeners: ((s: ChipSlotState) => void)[] = [];
  const state = (): ChipSlotState => ({ reader: attached ? reader : undefined, card: attached && card !== undefined });
  const changed = () => {
    for (const l of listeners) l(state());
  };
  return {
    watch(listener) {
      listeners.push(listener);
      listener(state());
    },
    async connect() {
      const c = card;
      if (!attached || !c) throw new Error('no card on the software reader');
      c.reset?.();
      // The connection fails once the card is lifted, as a PC/SC handle does.
      let gone = false;
      const lifted = () => {
        if (card !== c) gone = true;
      };
      return {
        async transmit(apdu: Uint8Array) {
          lifted();
          if (gone) throw new Error('card removed');
          return c.transmit(apdu);
        },
        async close() {},
      };
    },
    attach(next) {
      attached = next;
      changed();
    },
    insert(next) {
      // Another card on the reader: the first one left it.
      if (card) {
        card = undefined;
        changed();
      }
      card = next;
      changed();
    },
    remove() {
      card = undefined;
      changed();
    },
    async close() {
      listeners.length = 0;
    },
  };
}
