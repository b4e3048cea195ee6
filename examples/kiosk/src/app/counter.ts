// Counter page: call next, recall, serve, complete, no-show, transfer. Every action goes to the
// server, which applies it atomically on the shared queue.
import { ApiError, getJson, postJson } from './api.js';

interface PublicTicket {
  id: string;
  number: string;
  status: string;
  serviceId: string;
}

const select = document.getElementById('counter') as HTMLSelectElement;
const transferTo = document.getElementById('transfer-to') as HTMLSelectElement;
const current = document.getElementById('current') as HTMLElement;
const message = document.getElementById('message') as HTMLElement;
const buttons = ['recall', 'serve', 'complete', 'no-show', 'transfer'].map(
  (id) => document.getElementById(id) as HTMLButtonElement,
);
let ticket: PublicTicket | null = null;

function setTicket(t: PublicTicket | null): void {
  ticket = t && t.status !== 'done' && t.status !== 'no-show' && t.status !== 'transferred' ? t : null;
  current.textContent = ticket ? `${ticket.number} (${ticket.status})` : '—';
  for (const b of buttons) b.disabled = ticket === null;
}

async function act(path: string, body?: unknown): Promise<void> {
  try {
    const r = await postJson<{ ticket: PublicTicket | null }>(path, body);
    setTicket(r.ticket);
    message.textContent = r.ticket ? `${r.ticket.number}: ${r.ticket.status}` : 'Không còn ai chờ / Nobody is waiting';
  } catch (err) {
    message.textContent = `Lỗi / Error: ${err instanceof ApiError ? err.code : 'network'}`;
  }
}

const { counters, services } = await getJson<{
  counters: { id: string; label: string }[];
  services: { id: string; name: string }[];
}>('/api/counters');
select.innerHTML = counters.map((c) => `<option value="${c.id}">${c.label}</option>`).join('');
transferTo.innerHTML = services.map((s) => `<option value="${s.id}">${s.name}</option>`).join('');
const fromUrl = new URLSearchParams(location.search).get('counter');
if (fromUrl && counters.some((c) => c.id === fromUrl)) select.value = fromUrl;

async function load(): Promise<void> {
  const { tickets } = await getJson<{ tickets: PublicTicket[] }>(`/api/counters/${select.value}/tickets`);
  setTicket(tickets[0] ?? null);
}
select.addEventListener('change', () => void load());
document.getElementById('call-next')?.addEventListener('click', () => act(`/api/counters/${select.value}/call-next`));
document.getElementById('recall')?.addEventListener('click', () => ticket && act(`/api/tickets/${ticket.id}/recall`));
document.getElementById('serve')?.addEventListener('click', () => ticket && act(`/api/tickets/${ticket.id}/serve`));
document
  .getElementById('complete')
  ?.addEventListener('click', () => ticket && act(`/api/tickets/${ticket.id}/complete`));
document.getElementById('no-show')?.addEventListener('click', () => ticket && act(`/api/tickets/${ticket.id}/no-show`));
document
  .getElementById('transfer')
  ?.addEventListener(
    'click',
    () => ticket && act(`/api/tickets/${ticket.id}/transfer`, { serviceId: transferTo.value }),
  );
await load();
