// The kiosk flow: welcome → card QR from the camera → confirm → consent → face with an active
// liveness challenge → procedure → ticket → pre-filled form. Heavy work runs in workers (QR:
// `@smart-citizen/qr/worker`; face: ./faceWorker.ts); the server re-verifies everything.
import { createQrScanner } from '@smart-citizen/qr';
import type { QrScanner } from '@smart-citizen/qr';
import QrWorker from '@smart-citizen/qr/worker?worker';
import { ApiError, blobToBase64, getJson, postJson } from './api.js';
import { cardPhotoScreen } from './cardPhotoScreen.js';
import { chipReaderAttached, chipScreen, watchChipReader } from './chipScreen.js';
import type { CapturedFrame, FaceWorkerRequest, FaceWorkerResponse } from './faceWorker.js';
import { type Lang, has, setLang, t } from './i18n.js';

interface Procedure {
  id: string;
  name: { vi: string; en: string };
}
interface Shown {
  idNumber: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'M' | 'F' | 'unknown';
}
interface Decision {
  /** `retry`: the server did not see the head-turn challenge in the frames (a `liveness/…` reason). */
  outcome: 'verified' | 'needs_review' | 'rejected' | 'retry';
  achievedLevel?: number;
  reasons: string[];
  attemptsLeft?: number;
}
interface TicketView {
  number: string;
  counters: string[];
  procedure: { vi: string; en: string };
  /** `null` when the server could not estimate the wait (the ticket is issued all the same). */
  wait: { ahead: number; lowMs: number | null; highMs: number | null } | null;
}

const main = document.getElementById('main') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;

// Long main-thread tasks, for the page-responsiveness measurement (read by the e2e test).
const longTasks: { start: number; duration: number; screen: string }[] = [];
let screen = 'welcome';
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration, screen });
  }).observe({ type: 'longtask', buffered: true });
} catch {}
(globalThis as unknown as { kioskLongTasks: typeof longTasks }).kioskLongTasks = longTasks;

const state: {
  sessionId?: string | undefined;
  challenge?: 'turn-left' | 'turn-right';
  face?: boolean;
  /** The server reads cards without a QR code (card photo, OCR). */
  cardOcr?: boolean;
  identity?: Shown | undefined;
  ticket?: TicketView | undefined;
  stream?: MediaStream | undefined;
  rerender?: () => void;
} = {};

// ---------- helpers ----------
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function announce(message: string): void {
  status.textContent = message;
}
function show(name: string, html: string, render: () => void): void {
  screen = name;
  main.innerHTML = html;
  main.dataset.screen = name;
  state.rerender = render;
  const h = main.querySelector('h1');
  if (h) {
    h.setAttribute('tabindex', '-1');
    h.focus();
  }
}
function on(id: string, handler: () => void): void {
  document.getElementById(id)?.addEventListener('click', handler);
}
function guidanceText(code: string): string {
  return has(code) ? t(code) : t('error');
}

// ---------- language ----------
for (const b of document.querySelectorAll<HTMLButtonElement>('button.lang')) {
  b.addEventListener('click', () => {
    setLang(b.dataset.lang as Lang);
    for (const x of document.querySelectorAll<HTMLButtonElement>('button.lang'))
      x.setAttribute('aria-pressed', String(x === b));
    document.getElementById('brand')!.textContent = b.dataset.lang === 'en' ? 'One-stop-shop' : 'Bộ phận Một cửa';
    state.rerender?.();
  });
}

// ---------- face worker (loaded early: models take a while) ----------
let faceWorker: Worker | undefined;
let faceReady: Promise<void> | undefined;
let faceProgress = 0;
const faceListeners = new Set<(m: FaceWorkerResponse) => void>();
function startFaceWorker(): Promise<void> {
  if (faceReady) return faceReady;
  faceWorker = new Worker(new URL('./faceWorker.ts', import.meta.url), { type: 'module', name: 'kiosk-face' });
  faceWorker.onmessage = (e: MessageEvent<FaceWorkerResponse>) => {
    if (e.data.type === 'progress') faceProgress = e.data.total ? e.data.loaded / e.data.total : 0;
    for (const l of faceListeners) l(e.data);
  };
  faceReady = new Promise((resolve, reject) => {
    const l = (m: FaceWorkerResponse) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'init-error') reject(new Error(m.code));
      if (m.type === 'ready' || m.type === 'init-error') faceListeners.delete(l);
    };
    faceListeners.add(l);
  });
  const init: FaceWorkerRequest = {
    type: 'init',
    modelsUrl: new URL('/runtime/models/', location.href).href,
    wasmPaths: new URL('/runtime/ort/', location.href).href,
  };
  faceWorker.postMessage(init);
  return faceReady;
}

// ---------- camera ----------
async function camera(): Promise<MediaStream | 'denied' | 'missing'> {
  if (state.stream?.active) return state.stream;
  if (!navigator.mediaDevices?.getUserMedia) return 'missing';
  try {
    state.stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
      audio: false,
    });
    return state.stream;
  } catch (err) {
    const name = (err as DOMException).name;
    return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'missing';
  }
}
function stopCamera(): void {
  for (const track of state.stream?.getTracks() ?? []) track.stop();
  state.stream = undefined;
}
async function attach(video: HTMLVideoElement, stream: MediaStream): Promise<void> {
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
}
function stillJpeg(video: HTMLVideoElement): Promise<Blob> {
  const c = document.createElement('canvas');
  c.width = video.videoWidth;
  c.height = video.videoHeight;
  c.getContext('2d')?.drawImage(video, 0, 0);
  return new Promise((resolve, reject) =>
    c.toBlob((b) => (b ? resolve(b) : reject(new Error('no still'))), 'image/jpeg', 0.92),
  );
}

// ---------- screens ----------
function welcome(): void {
  show(
    'welcome',
    `<h1>${t('title')}</h1><p>${t('intro')}</p>
     <div class="actions"><button type="button" id="start" class="primary">${t('start')}</button></div>`,
    welcome,
  );
  on('start', async () => {
    const s = await postJson<{
      sessionId: string;
      challenge: 'turn-left' | 'turn-right';
      face: boolean;
      cardOcr: boolean;
    }>('/api/sessions');
    state.sessionId = s.sessionId;
    state.challenge = s.challenge;
    state.face = s.face;
    state.cardOcr = s.cardOcr;
    if (s.face) startFaceWorker().catch(() => undefined);
    void card();
  });
}

function cameraError(kind: 'denied' | 'missing'): void {
  show(
    'camera-error',
    `<h1>${t(kind === 'denied' ? 'cameraDenied' : 'cameraMissing')}</h1><div class="actions"><button type="button" id="home" class="primary">${t('finish')}</button></div>`,
    () => undefined,
  );
  on('home', welcome);
}

/** The live QR scan gives way to a card photo after this long without seeing any code. */
const NO_QR_SWITCH_MS = 20_000;

/** The card without a QR code: photographed, read by OCR on the server (cardPhotoScreen.ts). */
function cardPhoto(reason: 'button' | 'no-qr-seen'): void {
  scanner?.close();
  scanner = undefined;
  void cardPhotoScreen(
    {
      sessionId: state.sessionId as string,
      show,
      on,
      announce,
      async attachCamera(video) {
        const stream = await camera();
        if (stream === 'denied' || stream === 'missing') {
          cameraError(stream);
          return false;
        }
        await attach(video, stream);
        return true;
      },
      still: stillJpeg,
      read(identity, known) {
        state.identity = identity;
        return known ? confirm() : unknown();
      },
      backToQr: () => void card(),
      giveUp(reasons) {
        stopCamera();
        const why = reasons.filter(has).map(t);
        show(
          'card-unread',
          `<h1>${t('photoGiveUp')}</h1>${why.length ? `<ul>${why.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
           <div class="actions"><button type="button" id="home" class="primary">${t('finish')}</button></div>`,
          () => undefined,
        );
        on('home', finish);
      },
      current: () => screen === 'card-photo',
    },
    reason,
  );
}

let scanner: QrScanner | undefined;
async function card(): Promise<void> {
  const render = () => {
    show(
      'card',
      `<h1>${t('cardTitle')}</h1><p>${t('cardHelp')}</p>
       <div class="camera"><video id="video" aria-label="${t('cameraLabel')}"></video></div>
       <p id="guidance" class="guidance" aria-live="polite">${t('loading')}</p>
       <div class="actions">${state.cardOcr ? `<button type="button" id="no-qr" class="primary">${t('noQr')}</button>` : ''}
       ${chipReaderAttached() ? `<button type="button" id="use-chip">${t('useChip')}</button>` : ''}</div>`,
      render,
    );
    on('no-qr', () => cardPhoto('button'));
    on('use-chip', () => chip(true));
  };
  render();
  const stream = await camera();
  if (stream === 'denied' || stream === 'missing') return cameraError(stream);
  const video = document.getElementById('video') as HTMLVideoElement;
  await attach(video, stream);
  let busy = false;
  // No code seen at all for a while (not one that is merely hard to decode): photograph the card.
  let codeSeenAt = performance.now();
  let noCodeHints = 0;
  scanner?.close();
  scanner = createQrScanner({
    video,
    wasmUrl: '/runtime/zxing/zxing_reader.wasm',
    worker: new QrWorker({ name: 'kiosk-qr' }),
    onGuidance: (hint) => {
      const g = document.getElementById('guidance');
      if (g) g.textContent = t(hint);
      if (hint !== 'no-code') {
        codeSeenAt = performance.now();
        noCodeHints = 0;
      } else if (++noCodeHints >= 5 && state.cardOcr && performance.now() - codeSeenAt > NO_QR_SWITCH_MS) {
        if (screen === 'card' && !busy) cardPhoto('no-qr-seen');
      }
    },
    onResult: async (result) => {
      if (busy || !result.text) return;
      busy = true;
      const g = document.getElementById('guidance');
      if (g) g.textContent = t('checking');
      try {
        const still = await stillJpeg(video);
        const r = await postJson<{ status: string; known?: boolean; identity?: Shown; issues: string[] }>(
          `/api/sessions/${state.sessionId}/card`,
          { qrText: result.text, cardImage: await blobToBase64(still) },
        );
        if (r.status === 'read' && r.identity) {
          scanner?.close();
          scanner = undefined;
          state.identity = r.identity;
          // A reader is attached: the chip, opened with the QR's key, is read next.
          if (chipReaderAttached()) return chip(false);
          if (!r.known) return unknown();
          return confirm();
        }
        if (g) g.textContent = guidanceText(r.issues[0] ?? 'no-code');
      } catch {
        if (g) g.textContent = t('error');
      } finally {
        busy = false;
      }
    },
  });
  scanner.start();
}

/** The chip on the reader (chipScreen.ts); `needKey`: no QR was read, the citizen types the CAN. */
function chip(needKey: boolean): void {
  scanner?.close();
  scanner = undefined;
  stopCamera();
  const fromQr = needKey ? undefined : state.identity;
  chipScreen(
    {
      sessionId: state.sessionId as string,
      show,
      on,
      announce,
      read(identity, known) {
        state.identity = identity;
        return known ? confirm() : unknown();
      },
      // Without the chip: the identity the QR gave, or back to the camera.
      skip: () => (fromQr ? confirm() : void card()),
      skipLabel: t(fromQr ? 'chipSkip' : 'chipBack'),
    },
    needKey,
  );
}

function unknown(): void {
  stopCamera();
  show(
    'unknown',
    `<h1>${t('unknownCitizen')}</h1><div class="actions"><button type="button" id="home" class="primary">${t('finish')}</button></div>`,
    unknown,
  );
  on('home', finish);
}

function confirm(): void {
  const id = state.identity as Shown;
  const sex = id.sex === 'M' ? t('male') : id.sex === 'F' ? t('female') : '—';
  show(
    'confirm',
    `<h1>${t('confirmTitle')}</h1>
     <table class="identity"><tbody>
       <tr><th scope="row">${t('fullName')}</th><td>${esc(id.fullName)}</td></tr>
       <tr><th scope="row">${t(id.idNumber.length === 9 ? 'oldIdNumber' : 'idNumber')}</th><td>${esc(id.idNumber)}</td></tr>
       <tr><th scope="row">${t('dateOfBirth')}</th><td>${esc(id.dateOfBirth)}</td></tr>
       <tr><th scope="row">${t('sex')}</th><td>${sex}</td></tr>
     </tbody></table>
     <div class="actions"><button type="button" id="yes" class="primary">${t('yes')}</button>
     <button type="button" id="no">${t('no')}</button></div>`,
    confirm,
  );
  on('yes', () => (state.face ? consent() : decline()));
  on('no', () => void card());
}

function consent(): void {
  show(
    'consent',
    `<h1>${t('consentTitle')}</h1><p>${t('consentText')}</p>
     <div class="actions"><button type="button" id="agree" class="primary">${t('agree')}</button>
     <button type="button" id="decline">${t('decline')}</button></div>`,
    consent,
  );
  on('agree', async () => {
    await postJson(`/api/sessions/${state.sessionId}/consent`, { accepted: true, scope: ['face'] });
    void face();
  });
  on('decline', decline);
}

async function decline(): Promise<void> {
  stopCamera();
  const r = await postJson<{ decision?: Decision }>(`/api/sessions/${state.sessionId}/consent`, {
    accepted: false,
    scope: ['face'],
  });
  if (r.decision?.outcome === 'verified') return procedures();
  return faceFailed(r.decision?.reasons ?? [], 0);
}

async function face(): Promise<void> {
  let guidance = t('loadingModels');
  let instruction = '';
  const render = () =>
    show(
      'face',
      `<h1>${t('faceTitle')}</h1>
       <div class="camera"><video id="video" aria-label="${t('cameraLabel')}"></video></div>
       <p id="instruction" class="guidance" aria-live="polite">${instruction}</p>
       <label for="models" class="muted" id="models-label">${t('loadingModels')}</label>
       <progress id="models" class="progress" max="1" value="${faceProgress}"></progress>
       <p id="guidance" aria-live="polite">${guidance}</p>`,
      render,
    );
  render();
  const stream = await camera();
  if (stream === 'denied' || stream === 'missing') {
    show('camera-error', `<h1>${t(stream === 'denied' ? 'cameraDenied' : 'cameraMissing')}</h1>`, () => undefined);
    return;
  }
  await attach(document.getElementById('video') as HTMLVideoElement, stream);
  const progress = setInterval(() => {
    const p = document.getElementById('models') as HTMLProgressElement | null;
    if (p) p.value = faceProgress;
  }, 200);
  try {
    await startFaceWorker();
  } catch {
    clearInterval(progress);
    return faceFailed(['face/unavailable'], 0);
  }
  clearInterval(progress);
  document.getElementById('models')?.remove();
  document.getElementById('models-label')?.remove();
  const worker = faceWorker as Worker;
  worker.postMessage({ type: 'challenge', kind: state.challenge ?? 'turn-left' } satisfies FaceWorkerRequest);
  instruction = t(state.challenge ?? 'turn-left');
  const ins = document.getElementById('instruction');
  if (ins) ins.textContent = instruction;
  announce(instruction);
  let done = false;
  // Frames go from the camera track to the worker directly where the browser allows it
  // (MediaStreamTrackProcessor, Chromium); elsewhere the page grabs ImageBitmaps every 120 ms.
  const Processor = (globalThis as unknown as { MediaStreamTrackProcessor?: TrackProcessorConstructor })
    .MediaStreamTrackProcessor;
  const sourceTrack = stream.getVideoTracks()[0];
  let track: MediaStreamTrack | undefined;
  let inFlight = false;
  if (Processor && sourceTrack) {
    track = sourceTrack.clone();
    const { readable } = new Processor({ track });
    worker.postMessage({ type: 'stream', readable, intervalMs: 120, maxSide: 640 } satisfies FaceWorkerRequest, [
      readable as unknown as Transferable,
    ]);
  } else {
    let nextId = 1;
    const tick = async () => {
      if (done || screen !== 'face') return;
      const video = document.getElementById('video') as HTMLVideoElement | null;
      if (!inFlight && video && video.readyState >= 2) {
        inFlight = true;
        const bitmap = await createImageBitmap(video);
        worker.postMessage(
          { type: 'frame', id: nextId++, bitmap, timestampMs: performance.now() } satisfies FaceWorkerRequest,
          [bitmap],
        );
      }
      setTimeout(tick, 120);
    };
    void tick();
  }
  const stopFrames = () => {
    worker.postMessage({ type: 'stop' } satisfies FaceWorkerRequest);
    track?.stop();
  };
  const listener = async (m: FaceWorkerResponse) => {
    if (m.type !== 'frame' || done) return;
    inFlight = false;
    guidance = t(m.guidance === 'ok' ? 'hold-still' : m.guidance);
    const g = document.getElementById('guidance');
    if (g) g.textContent = guidance;
    if (m.challenge.status === 'failed') {
      done = true;
      stopFrames();
      faceListeners.delete(listener);
      return faceFailed([`liveness/${m.challenge.reason ?? 'failed'}`], 1);
    }
    if (m.frames) {
      done = true;
      stopFrames();
      faceListeners.delete(listener);
      instruction = t('challengeDone');
      const ins2 = document.getElementById('instruction');
      if (ins2) ins2.textContent = instruction;
      announce(instruction);
      try {
        const frame = async (f: CapturedFrame) => ({ image: await blobToBase64(f.jpeg), atMs: f.atMs });
        const d = await postJson<Decision>(`/api/sessions/${state.sessionId}/face`, {
          frontal: await frame(m.frames.frontal),
          turned: await frame(m.frames.turned),
        });
        if (d.outcome === 'verified') {
          stopCamera();
          announce(t('verified'));
          return procedures();
        }
        return faceFailed(d.reasons, d.attemptsLeft ?? 0);
      } catch (err) {
        return faceFailed([err instanceof ApiError ? err.code : 'error'], 0);
      }
    }
  };
  faceListeners.add(listener);
}

type TrackProcessorConstructor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };

function faceFailed(reasons: string[], attemptsLeft: number): void {
  const why = reasons.filter(has).map(t);
  show(
    'face-failed',
    `<h1>${t('faceFailed')}</h1>${why.length ? `<ul>${why.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
     <div class="actions">${attemptsLeft > 0 ? `<button type="button" id="retry" class="primary">${t('retry')}</button>` : ''}
     <button type="button" id="home">${t('finish')}</button></div>`,
    () => faceFailed(reasons, attemptsLeft),
  );
  on('retry', () => void face());
  on('home', finish);
}

async function procedures(): Promise<void> {
  const { procedures: list } = await getJson<{ procedures: Procedure[] }>('/api/procedures');
  const render = () =>
    show(
      'procedure',
      `<h1>${t('procedureTitle')}</h1>
       <ul class="choices">${list
         .map(
           (p) =>
             `<li><button type="button" data-procedure="${esc(p.id)}">${esc(p.name[document.documentElement.lang === 'en' ? 'en' : 'vi'])}</button></li>`,
         )
         .join('')}</ul>`,
      render,
    );
  render();
  main.addEventListener('click', async function choose(e) {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-procedure]');
    if (!b || screen !== 'procedure') return;
    main.removeEventListener('click', choose);
    state.ticket = await postJson<TicketView>(`/api/sessions/${state.sessionId}/ticket`, {
      procedureId: b.dataset.procedure,
    });
    ticket();
  });
}

function ticket(): void {
  const tk = state.ticket as TicketView;
  const mins = (ms: number | null) => (ms === null ? null : Math.max(1, Math.round(ms / 60_000)));
  const lo = mins(tk.wait?.lowMs ?? null);
  const hi = mins(tk.wait?.highMs ?? null);
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  show(
    'ticket',
    `<h1>${t('ticketTitle')}</h1>
     <div class="ticket" id="ticket">
       <p>${esc(tk.procedure[lang])}</p>
       <p class="ticket-number" id="ticket-number">${esc(tk.number)}</p>
       <p>${t('counters')}: ${esc(tk.counters.join(', '))}</p>
       ${tk.wait ? `<p>${t('wait')}: ${lo === null || hi === null ? t('noCounter') : `${lo}–${hi} ${t('minutes')}`} (${tk.wait.ahead} ${t('ahead')})</p>` : ''}
     </div>
     <div class="actions"><button type="button" id="print">${t('printTicket')}</button>
     <button type="button" id="to-form" class="primary">${t('formTitle')}</button></div>`,
    ticket,
  );
  on('print', () => window.print());
  on('to-form', () => void form());
}

async function form(): Promise<void> {
  const f = await getJson<{
    formId: string;
    data: Record<string, unknown>;
    missing: { path: string }[];
    labels: Record<string, { vi: string; en: string }>;
  }>(`/api/sessions/${state.sessionId}/form`);
  // The form's own wording for each field, in the kiosk's language (the data path when it has none).
  const label = (path: string) => f.labels[path]?.[document.documentElement.lang === 'en' ? 'en' : 'vi'] ?? path;
  const flat = (o: unknown, prefix = ''): [string, string][] =>
    o !== null && typeof o === 'object'
      ? Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
      : [[prefix, String(o)]];
  const rows = flat(f.data);
  const render = () =>
    show(
      'form',
      `<h1>${t('formTitle')}</h1><p>${t('formHelp')}</p>
       <table class="form-data"><caption class="sr-only">${esc(f.formId)}</caption><tbody>${rows
         .map(([k, v]) => `<tr><th scope="row">${esc(label(k))}</th><td>${esc(v)}</td></tr>`)
         .join('')}</tbody></table>
       ${f.missing.length ? `<p>${t('missing')}: ${esc(f.missing.map((m) => label(m.path)).join(', '))}</p>` : ''}
       <div class="actions"><a class="button primary" id="pdf" href="/api/sessions/${state.sessionId}/form.pdf" download="${esc(f.formId)}.pdf">${t('printForm')}</a>
       <button type="button" id="finish">${t('finish')}</button></div>`,
      render,
    );
  render();
  on('finish', finish);
}

async function finish(): Promise<void> {
  stopCamera();
  scanner?.close();
  scanner = undefined;
  if (state.sessionId) await postJson(`/api/sessions/${state.sessionId}/end`).catch(() => undefined);
  state.sessionId = undefined;
  state.identity = undefined;
  state.ticket = undefined;
  welcome();
}

watchChipReader();
welcome();
