// The chip step of the kiosk: shown when a chip reader is attached (the server's
// /api/chip/events says so), after the QR gave the access key or as the citizen's first choice
// (then the citizen types the card's 6-digit CAN, the last 6 digits of the ID number). The page
// does no chip work: it waits for the card on the reader, asks the server to read it, and shows
// the reader's progress and its guidance codes as sentences.
import { ApiError, postJson } from './api.js';
import type { ReadIdentity } from './cardPhotoScreen.js';
import { has, t } from './i18n.js';

/** The reader's status as the server pushes it. */
interface ChipStatus {
  state: 'off' | 'no-reader' | 'ready' | 'card' | 'reading' | 'read' | 'error';
  progress?: number;
  code?: string;
}

let latest: ChipStatus = { state: 'off' };
const listeners = new Set<(s: ChipStatus) => void>();
let source: EventSource | undefined;

/** Follow the reader's status (one event stream per page). */
export function watchChipReader(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/chip/events');
  source.addEventListener('chip', (e) => {
    latest = JSON.parse((e as MessageEvent<string>).data) as ChipStatus;
    for (const l of listeners) l(latest);
  });
}

/** True when a chip reader is attached to the kiosk. */
export function chipReaderAttached(): boolean {
  return latest.state !== 'off' && latest.state !== 'no-reader';
}

/** What the screen needs from the kiosk page. */
export interface ChipContext {
  sessionId: string;
  show(name: string, html: string, rerender: () => void): void;
  on(id: string, handler: () => void): void;
  announce(message: string): void;
  /** The chip was read: go on to the confirm screen (or the unknown-citizen screen). */
  read(identity: ReadIdentity, known: boolean): void;
  /** The citizen chose not to use the chip: back to where they came from. */
  skip(): void;
  /** Label of the skip button (continue with the QR's identity, or back to the camera). */
  skipLabel: string;
}

/**
 * The chip screen. `needKey`: the session has no key yet (no QR read), so the citizen types the CAN.
 */
export function chipScreen(ctx: ChipContext, needKey: boolean): void {
  let can: string | undefined;
  let message = '';
  let busy = false;
  let done = false;
  let progress = 0;
  const keyForm = () =>
    needKey && can === undefined
      ? `<form id="can-form" class="can-form" novalidate>
           <label for="can">${t('chipCanLabel')}</label>
           <input id="can" name="can" inputmode="numeric" autocomplete="off" maxlength="6" pattern="[0-9]{6}" required aria-describedby="can-help" />
           <p id="can-help" class="muted">${t('chipCanHelp')}</p>
           <button type="submit" class="primary">${t('chipCanOk')}</button>
         </form>`
      : '';
  const render = () => {
    ctx.show(
      'chip',
      `<h1>${t('chipTitle')}</h1><p>${t('chipHelp')}</p>
       ${keyForm()}
       <label for="chip-progress" class="muted">${t('chipProgress')}</label>
       <progress id="chip-progress" class="progress" max="1" value="${progress}"></progress>
       <p id="chip-guidance" class="guidance" aria-live="polite">${message}</p>
       <div class="actions"><button type="button" id="chip-skip">${ctx.skipLabel}</button></div>`,
      render,
    );
    ctx.on('chip-skip', () => {
      stop();
      ctx.skip();
    });
    document.getElementById('can-form')?.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = document.getElementById('can') as HTMLInputElement;
      const value = input.value.replace(/\D/g, '');
      if (!/^\d{6}$/.test(value)) {
        say(t('chipCanInvalid'));
        input.focus();
        return;
      }
      can = value;
      render();
      say(t('chipPlace'));
      if (latest.state === 'card') void readNow();
    });
  };
  const say = (text: string) => {
    message = text;
    const g = document.getElementById('chip-guidance');
    if (g) g.textContent = text;
  };
  const setProgress = (p: number) => {
    progress = p;
    const el = document.getElementById('chip-progress') as HTMLProgressElement | null;
    if (el) el.value = p;
  };
  const readNow = async () => {
    if (busy || done || (needKey && can === undefined)) return;
    busy = true;
    say(t('chipReading'));
    ctx.announce(t('chipReading'));
    try {
      const r = await postJson<{ status: 'read'; known: boolean; identity: ReadIdentity; authenticated: boolean }>(
        `/api/sessions/${ctx.sessionId}/chip`,
        can ? { can } : {},
      );
      done = true;
      stop();
      setProgress(1);
      ctx.announce(t(r.authenticated ? 'chipReadOk' : 'chipReadNotAuthenticated'));
      ctx.read(r.identity, r.known);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'error';
      // A refused typed key: ask for it again.
      if (code === 'chip/wrong-key' && needKey) {
        can = undefined;
        render();
      }
      say(has(code) ? t(code) : t('error'));
      ctx.announce(message);
    } finally {
      busy = false;
    }
  };
  let previous = latest.state;
  const onStatus = (s: ChipStatus) => {
    if (s.state === 'reading' && s.progress !== undefined) setProgress(s.progress);
    // A card put on the reader (again): read it.
    if (s.state === 'card' && previous !== 'card') void readNow();
    if (s.state === 'ready' && previous !== 'ready' && !busy) say(t('chipPlace'));
    if (s.state === 'no-reader') say(t('chip/no-reader'));
    previous = s.state;
  };
  const stop = () => listeners.delete(onStatus);
  listeners.add(onStatus);
  message = needKey ? '' : t('chipPlace');
  render();
  if (latest.state === 'card') void readNow();
}
