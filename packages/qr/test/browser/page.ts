// Bundled for the headless-Chromium test: plays frames drawn on a canvas through a real
// <video> (canvas.captureStream) into createQrScanner with its Worker decoder.
import { createQrScanner } from '../../src/scanner/createQrScanner.js';

interface Frame {
  width: number;
  height: number;
  grey: number[];
}

declare global {
  interface Window {
    runScanner(frame: Frame, workerUrl: string, wasmUrl: string): Promise<{ text: string; hints: string[] }>;
  }
}

window.runScanner = async (frame, workerUrl, wasmUrl) => {
  const canvas = document.createElement('canvas');
  canvas.width = frame.width;
  canvas.height = frame.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  const img = ctx.createImageData(frame.width, frame.height);
  for (let i = 0; i < frame.grey.length; i++) {
    const v = frame.grey[i] ?? 0;
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = canvas.captureStream(15);
  document.body.append(video);
  // Keep painting so the stream produces frames.
  const paint = setInterval(() => ctx.putImageData(img, 0, 0), 50);
  ctx.putImageData(img, 0, 0);
  await video.play();
  const hints: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no agreed read within 30 s')), 30_000);
    const scanner = createQrScanner({
      video,
      worker: workerUrl,
      wasmUrl,
      intervalMs: 50,
      onGuidance: (h) => hints.push(h),
      onError: (e) => reject(e instanceof Error ? e : new Error(String(e))),
      onResult: (r) => {
        clearTimeout(timer);
        clearInterval(paint);
        scanner.close();
        resolve({ text: r.text ?? '', hints });
      },
    });
    scanner.start();
  });
};
