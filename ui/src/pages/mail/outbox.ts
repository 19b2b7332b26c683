// Undo send: a message waits here 5 s before EmailSubmission/set; 撤销 gives it back to the editor.
import { useSyncExternalStore } from 'react';

export const undoSeconds = 5;

export interface Pending {
  id: number;
  /** What the bar says: sending, failed. */
  state: 'waiting' | 'sending' | 'failed';
  error?: string;
}

let pending: Pending | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let undoIt: (() => void) | null = null;
let nextId = 1;
const listeners = new Set<() => void>();
const emit = (p: Pending | null) => {
  pending = p;
  listeners.forEach((l) => l());
};

/** Sends after the undo window; `undo` reopens the message for editing. */
export function schedule(send: () => Promise<void>, undo: () => void): void {
  const id = nextId++;
  undoIt = undo;
  emit({ id, state: 'waiting' });
  timer = setTimeout(() => {
    timer = null;
    emit({ id, state: 'sending' });
    send().then(
      () => pending?.id === id && emit(null),
      (err: unknown) => pending?.id === id && emit({ id, state: 'failed', error: err instanceof Error ? err.message : String(err) }),
    );
  }, undoSeconds * 1000);
}

export function undo(): void {
  if (!timer) return;
  clearTimeout(timer);
  timer = null;
  emit(null);
  undoIt?.();
}

export const dismissPending = () => emit(null);

export function usePending(): Pending | null {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => pending);
}
