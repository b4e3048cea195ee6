// The kiosk API over HTTP on 127.0.0.1, without a browser: validation, limits, consent order,
// the level-1 path (consent declined), tickets, forms, counters and the board's event stream.
// Face verification is off here (the e2e test covers it in Chromium); no ../shared needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskServer, type KioskServer } from './createKioskServer.js';
import { defaultRateLimits } from './http.js';
import { generateCitizens } from './seed.js';

let server: KioskServer;
const logs: string[] = [];
let citizens: Awaited<ReturnType<typeof generateCitizens>>;

const api = (path: string) => new URL(path, server.url).href;
async function post(path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(api(path), {
    method: 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: r.status, json: (await r.json().catch(() => null)) as Record<string, unknown> };
}
async function get(path: string) {
  const r = await fetch(api(path));
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}
async function verifiedSession(index: number): Promise<string> {
  const { json } = await post('/api/sessions');
  const id = json.sessionId as string;
  const c = citizens[index];
  const card = await post(`/api/sessions/${id}/card`, { qrText: c?.qrText });
  expect(card.json).toMatchObject({ status: 'read', known: true, identity: { idNumber: c?.idNumber } });
  const consent = await post(`/api/sessions/${id}/consent`, { accepted: false, scope: ['face'] });
  expect(consent.json).toMatchObject({ accepted: false, decision: { outcome: 'verified', achievedLevel: 1 } });
  return id;
}

beforeAll(async () => {
  citizens = await generateCitizens(10);
  server = await createKioskServer({
    port: 0,
    face: false,
    seedCitizens: 10,
    log: (l) => logs.push(l),
    rateLimits: { ...defaultRateLimits, kiosk: { burst: 200, perMinute: 6000 } },
  });
});
afterAll(async () => server?.close());

describe('kiosk server API', () => {
  it('publishes an OpenAPI document listing every route', async () => {
    const { json } = await get('/api/openapi.json');
    expect(json.openapi).toBe('3.1.0');
    const paths = json.paths as Record<string, Record<string, { operationId: string }>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/sessions/{sessionId}/card',
        '/api/counters/{counterId}/call-next',
        '/api/board/events',
      ]),
    );
    expect(paths['/api/sessions/{sessionId}/consent']?.post?.operationId).toBe('session-consent');
  });

  it('validates requests against the schemas and refuses oversize bodies', async () => {
    const { json } = await post('/api/sessions');
    const id = json.sessionId as string;
    const bad = await post(`/api/sessions/${id}/consent`, { accepted: 'yes', scope: ['face'] });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'request/invalid' } });
    const extra = await post(`/api/sessions/${id}/card`, { qrText: 'x', more: 1 });
    expect(extra.status).toBe(400);
    expect((await post(`/api/sessions/${id}/card`, '{not json')).status).toBe(400);
    const huge = await post(`/api/sessions/${id}/consent`, { accepted: true, scope: ['face'], pad: 'x'.repeat(5000) });
    expect(huge.status).toBe(413);
    const bigFrame = { image: 'A'.repeat(1_600_000), atMs: 1 };
    const face = await post(`/api/sessions/${id}/face`, { frontal: bigFrame, turned: bigFrame });
    expect(face.status).toBe(413);
    expect((await post('/api/sessions/not-a-uuid/card', { qrText: 'x' })).status).toBe(404);
    expect((await get(`/api/sessions/${crypto.randomUUID()}/form`)).status).toBe(404);
  });

  it('does not take a face before consent, and not before the card', async () => {
    const { json } = await post('/api/sessions');
    const id = json.sessionId as string;
    const frames = { frontal: { image: 'AAAA', atMs: 1 }, turned: { image: 'AAAA', atMs: 2 } };
    const noCard = await post(`/api/sessions/${id}/face`, frames);
    expect(noCard.status).toBe(409);
    await post(`/api/sessions/${id}/card`, { qrText: citizens[0]?.qrText });
    const noConsent = await post(`/api/sessions/${id}/face`, frames);
    expect(noConsent.status).toBe(403);
    expect((noConsent.json as { error: { code: string } }).error.code).toBe('consent/missing');
    // One frame alone is not the challenge.
    expect((await post(`/api/sessions/${id}/face`, { frontal: frames.frontal })).status).toBe(400);
  });

  it('reports an unknown citizen and a payload that is not a card', async () => {
    const { json } = await post('/api/sessions');
    const id = json.sessionId as string;
    const unknown = await post(`/api/sessions/${id}/card`, {
      qrText: '001099012345||Nguyễn Văn An|07031999|Nam|Số 1 Phố Tràng Tiền, Hà Nội|20072021',
    });
    expect(unknown.json).toMatchObject({ status: 'read', known: false });
    const notCard = await post(`/api/sessions/${id}/card`, { qrText: 'https://example.org/' });
    expect(notCard.json.status).toBe('not-a-card');
    // Not verified: no ticket.
    expect((await post(`/api/sessions/${id}/ticket`, { procedureId: 'residence' })).status).toBe(403);
  });

  it('issues a ticket with a wait range, fills the form and renders its PDF', async () => {
    const id = await verifiedSession(1);
    const ticket = await post(`/api/sessions/${id}/ticket`, { procedureId: 'residence' });
    expect(ticket.status).toBe(200);
    expect(ticket.json).toMatchObject({
      number: expect.stringMatching(/^C\d{3}$/),
      counters: expect.arrayContaining(['Quầy 1']),
    });
    const wait = ticket.json.wait as { lowMs: number; highMs: number };
    expect(wait.lowMs).toBeGreaterThan(0);
    expect(wait.highMs).toBeGreaterThanOrEqual(wait.lowMs);
    const form = await get(`/api/sessions/${id}/form`);
    expect(form.json).toMatchObject({ formId: 'ct01', data: { idNumber: citizens[1]?.idNumber } });
    // Each filled field comes with the form's own label, for the citizen to check.
    const labels = form.json.labels as Record<string, { vi: string; en: string }>;
    for (const path of Object.keys(form.json.data as object)) expect(labels[path]?.vi, path).toBeTruthy();
    const pdf = await fetch(api(`/api/sessions/${id}/form.pdf`));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    expect((await post(`/api/sessions/${id}/ticket`, { procedureId: 'no-such' })).status).toBe(404);
  });

  it('runs the counter actions and streams the board over SSE', async () => {
    const ctrl = new AbortController();
    const events = await fetch(api('/api/board/events'), { signal: ctrl.signal });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const waitFor = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await waitFor('event: board');

    const id = await verifiedSession(2);
    const t1 = (await post(`/api/sessions/${id}/ticket`, { procedureId: 'birth' })).json;
    const id2 = await verifiedSession(3);
    const t2 = (await post(`/api/sessions/${id2}/ticket`, { procedureId: 'birth' })).json;
    // Which one comes first depends on the citizens' groups (age from the record).
    const called = await post('/api/counters/quay-3/call-next');
    const first = (called.json.ticket as { number: string }).number;
    expect([t1.number, t2.number]).toContain(first);
    await waitFor(`"number":"${first}"`);
    const ticketId = (called.json.ticket as { id: string }).id;
    expect((await post(`/api/tickets/${ticketId}/recall`)).json.ticket).toMatchObject({ recalls: 1 });
    expect((await post(`/api/tickets/${ticketId}/transfer`, { serviceId: 'residence' })).json.ticket).toMatchObject({
      serviceId: 'residence',
      status: 'waiting',
    });
    const next = await post('/api/counters/quay-3/call-next');
    expect((next.json.ticket as { number: string }).number).toBe(first === t1.number ? t2.number : t1.number);
    const nextId = (next.json.ticket as { id: string }).id;
    expect((await post(`/api/tickets/${nextId}/no-show`)).json.ticket).toMatchObject({ status: 'no-show' });
    // An action the ticket's status does not allow is a 409, not a 500.
    expect((await post(`/api/tickets/${nextId}/complete`)).status).toBe(409);
    expect((await post('/api/counters/nope/call-next')).status).toBe(404);
    expect((await post('/api/tickets/nope/recall')).status).toBe(404);
    ctrl.abort();
  });

  it('rate-limits per client and route group', async () => {
    let limited = 0;
    const responses = await Promise.all(
      Array.from({ length: defaultRateLimits.read.burst + 20 }, () => fetch(api('/api/procedures'))),
    );
    for (const r of responses) {
      if (r.status === 429) {
        limited++;
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      await r.arrayBuffer();
    }
    expect(limited).toBeGreaterThan(0);
  });

  it('logs route templates and statuses, nothing personal', () => {
    const log = logs.join('\n');
    for (const c of citizens.slice(0, 4)) {
      expect(log).not.toContain(c.idNumber);
      expect(log).not.toContain(c.fullName);
    }
    expect(log).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no session ids either
    expect(logs.some((l) => JSON.parse(l).route === '/api/sessions/{sessionId}/ticket')).toBe(true);
  });
});
