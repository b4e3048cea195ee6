// The card step for a card without a QR code (old CMND, CCCD 2016, a damaged code): the kiosk
// photographs the card and the server reads it by OCR (@smart-citizen/idcard; the page does no
// reading, it only grabs a still, which the browser encodes off the main thread). The server's
// answer is the identity to confirm, or the side to photograph next with the reader's reasons
// (no card, cut off, too small, blurred, glare over a field…), shown as guidance.
import { ApiError, postBytes } from './api.js';
import { has, t } from './i18n.js';

/** The identity the server read, as the confirm screen shows it. */
export interface ReadIdentity {
  idNumber: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'M' | 'F' | 'unknown';
}

/** What the server answers a card photo. */
type CardPhotoAnswer =
  | { status: 'read'; known: boolean; identity: ReadIdentity; cardType: string; issues: string[] }
  | { status: 'retake'; side: 'front' | 'back'; issues: string[]; attemptsLeft: number };

/** What the screen needs from the kiosk page. */
export interface CardPhotoContext {
  sessionId: string;
  /** Renders a screen (focus moves to its heading); `rerender` is called on a language change. */
  show(name: string, html: string, rerender: () => void): void;
  on(id: string, handler: () => void): void;
  announce(message: string): void;
  /** The camera stream, attached to `video`; `false` when the camera is denied or missing (the page says so). */
  attachCamera(video: HTMLVideoElement): Promise<boolean>;
  /** A JPEG still of the video. */
  still(video: HTMLVideoElement): Promise<Blob>;
  /** The card was read: go on to the confirm screen (or the unknown-citizen screen). */
  read(identity: ReadIdentity, known: boolean): void;
  /** Back to the live QR scan. */
  backToQr(): void;
  /** The card could not be read (attempts used up, or OCR is off): send the citizen to a counter. */
  giveUp(reasons: string[]): void;
  /** True while this screen is the one shown. */
  current(): boolean;
}

/** Seconds between automatic photos while the card is being held up. */
const AUTO_PHOTO_MS = 4000;

const guidance = (codes: readonly string[]) => {
  const known = codes.filter(has);
  return known.length ? known.map(t).join(' ') : t('photoRetry');
};

/**
 * The photo screen. `reason`: why it was opened (`button`: the citizen said the card has no QR
 * code; `no-qr-seen`: the live scan found no code for a while).
 */
export async function cardPhotoScreen(ctx: CardPhotoContext, reason: 'button' | 'no-qr-seen'): Promise<void> {
  let side: 'front' | 'back' = 'front';
  let message = reason === 'no-qr-seen' ? t('switchedToPhoto') : '';
  let busy = false;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = () => {
    ctx.show(
      'card-photo',
      `<h1>${t(side === 'front' ? 'photoTitle' : 'photoBackTitle')}</h1><p>${t('photoHelp')}</p>
       <div class="camera"><video id="photo-video" aria-label="${t('cameraLabel')}"></video></div>
       <p id="photo-guidance" class="guidance" role="status" aria-live="polite">${message}</p>
       <div class="actions"><button type="button" id="take-photo" class="primary">${t('takePhoto')}</button>
       <button type="button" id="back-to-qr">${t('backToQr')}</button></div>`,
      () => {
        render();
        void start();
      },
    );
    ctx.on('take-photo', () => void take());
    ctx.on('back-to-qr', () => {
      stop();
      ctx.backToQr();
    });
  };
  const say = (text: string) => {
    message = text;
    const g = document.getElementById('photo-guidance');
    if (g) g.textContent = text;
  };
  const stop = () => {
    done = true;
    if (timer) clearTimeout(timer);
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void take(), AUTO_PHOTO_MS);
  };
  const take = async () => {
    if (busy || done || !ctx.current()) return;
    const video = document.getElementById('photo-video') as HTMLVideoElement | null;
    if (!video || video.readyState < 2) return schedule();
    busy = true;
    if (timer) clearTimeout(timer);
    const button = document.getElementById('take-photo') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    say(t('photoReading'));
    try {
      const r = await postBytes<CardPhotoAnswer>(
        `/api/sessions/${ctx.sessionId}/card-photo`,
        await ctx.still(video),
        'image/jpeg',
      );
      if (done || !ctx.current()) return;
      if (r.status === 'read') {
        stop();
        return ctx.read(r.identity, r.known);
      }
      if (r.attemptsLeft === 0) {
        stop();
        return ctx.giveUp(r.issues);
      }
      if (r.side !== side) {
        // The other side now: a new heading, focus on it, and the reason said once.
        side = r.side;
        message = guidance(r.issues);
        render();
        await start();
        ctx.announce(message);
      } else say(guidance(r.issues));
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'error';
      if (code === 'session/too-many-attempts' || code === 'idcard/unavailable') {
        stop();
        return ctx.giveUp([code]);
      }
      say(t(err instanceof ApiError && err.status === 429 ? 'photoWait' : 'error'));
    } finally {
      busy = false;
      const b = document.getElementById('take-photo') as HTMLButtonElement | null;
      if (b) b.disabled = false;
    }
    if (!done) schedule();
  };
  const start = async () => {
    const video = document.getElementById('photo-video') as HTMLVideoElement;
    if (!(await ctx.attachCamera(video))) return stop();
    schedule();
  };
  render();
  if (message) ctx.announce(message);
  await start();
}
