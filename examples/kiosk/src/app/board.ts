// Display board: the latest calls and what each counter deals with, live over Server-Sent
// Events (EventSource reconnects by itself after a drop).
interface Board {
  calls: { number: string; counterId: string; recalled: boolean }[];
  atCounter: Record<string, string>;
  counters: Record<string, string>;
}

const calls = document.getElementById('calls') as HTMLOListElement;
const counters = document.getElementById('counters') as HTMLUListElement;
const connection = document.getElementById('connection') as HTMLElement;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(b: Board): void {
  calls.innerHTML = b.calls
    .slice(0, 6)
    .map(
      (c) =>
        `<li data-number="${esc(c.number)}"><span>${esc(c.number)}</span><span>→ ${esc(b.counters[c.counterId] ?? c.counterId)}${c.recalled ? ' ↻' : ''}</span></li>`,
    )
    .join('');
  counters.innerHTML = Object.entries(b.counters)
    .map(([id, label]) => `<li>${esc(label)}: <strong>${esc(b.atCounter[id] ?? '—')}</strong></li>`)
    .join('');
}

const events = new EventSource('/api/board/events');
events.addEventListener('board', (e) => {
  connection.textContent = '';
  render(JSON.parse((e as MessageEvent<string>).data) as Board);
});
events.onerror = () => {
  connection.textContent = 'Mất kết nối, đang kết nối lại… / Reconnecting…';
};
