import type { QueueEvent } from './types.js';

/** One line of a display board: a ticket number and the counter to go to. */
export interface BoardCall {
  number: string;
  counterId: string;
  /** When it was (re)announced, ms since epoch. */
  at: number;
  /** True when it was re-announced (`ticket.recalled`). */
  recalled: boolean;
}

/** What a display board shows. Holds no personal data: numbers and counters only. */
export interface DisplayBoardState {
  /** Latest announcements, newest first (at most `keep`). */
  calls: BoardCall[];
  /** The ticket number each counter is dealing with now (called or serving). */
  atCounter: Record<string, string>;
  /** Counters currently open. */
  openCounters: string[];
}

/** An empty board. */
export function emptyDisplayBoard(): DisplayBoardState {
  return { calls: [], atCounter: {}, openCounters: [] };
}

/**
 * Applies one queue event to a display board (pure: returns a new state). Feed it the events of
 * `SmartQueue.subscribe`.
 * @param state - the current board
 * @param event - a queue event
 * @param keep - how many announcements to keep. @default 8
 * @returns the new board
 * @example
 * let board = emptyDisplayBoard();
 * await queue.subscribe((e) => { board = reduceDisplayBoard(board, e); render(board); });
 */
export function reduceDisplayBoard(state: DisplayBoardState, event: QueueEvent, keep = 8): DisplayBoardState {
  switch (event.type) {
    case 'ticket.called':
    case 'ticket.recalled': {
      if (event.number === undefined || event.counterId === undefined) return state;
      const call: BoardCall = {
        number: event.number,
        counterId: event.counterId,
        at: event.at,
        recalled: event.type === 'ticket.recalled',
      };
      const calls = [call, ...state.calls.filter((c) => c.number !== event.number)].slice(0, Math.max(0, keep));
      return { ...state, calls, atCounter: { ...state.atCounter, [event.counterId]: event.number } };
    }
    case 'ticket.done':
    case 'ticket.no-show':
    case 'ticket.on-hold':
    case 'ticket.transferred': {
      const atCounter = { ...state.atCounter };
      for (const [counter, number] of Object.entries(atCounter)) if (number === event.number) delete atCounter[counter];
      const calls = event.type === 'ticket.done' ? state.calls : state.calls.filter((c) => c.number !== event.number);
      return { ...state, calls, atCounter };
    }
    case 'counter.opened':
      return event.counterId === undefined || state.openCounters.includes(event.counterId)
        ? state
        : { ...state, openCounters: [...state.openCounters, event.counterId].sort() };
    case 'counter.closed': {
      if (event.counterId === undefined) return state;
      const atCounter = { ...state.atCounter };
      delete atCounter[event.counterId];
      return { ...state, atCounter, openCounters: state.openCounters.filter((c) => c !== event.counterId) };
    }
    default:
      return state;
  }
}
