import type { Command } from '../command.js';
import { chipCommand } from './chip.js';
import { faceCommand } from './face.js';
import { fingerprintCommand } from './fingerprint.js';
import { formCommand } from './form.js';
import { cardCommand } from './card.js';
import { idCommand } from './id.js';
import { mrzCommand } from './mrz.js';
import { qrCommand } from './qr.js';
import { queueCommand } from './queue.js';
import { storeCommand } from './store.js';

/** Every subcommand, in the order `--help` lists them. Each lives in its own file here. */
export const commands: Command[] = [
  idCommand,
  mrzCommand,
  cardCommand,
  qrCommand,
  queueCommand,
  formCommand,
  faceCommand,
  fingerprintCommand,
  chipCommand,
  storeCommand,
];
