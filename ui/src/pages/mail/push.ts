// Live updates (RFC 8620 §7.3): one EventSource for the page; every StateChange bumps a counter
// that the folder list, the message list and the open message refetch on.
import { useSyncExternalStore } from 'react';

let version = 0;
let source: EventSource | null = null;
const listeners = new Set<() => void>();

function open() {
  source = new EventSource('/jmap/eventsource?types=*&closeafter=no&ping=30');
  source.addEventListener('state', () => {
    version++;
    listeners.forEach((l) => l());
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!source) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = null;
    }
  };
}

/** The number of changes pushed so far; a component re-renders on each. */
export function usePushVersion(): number {
  return useSyncExternalStore(subscribe, () => version);
}

/** After a change of our own: refetch at once instead of waiting for the push. */
export function changed(): void {
  version++;
  listeners.forEach((l) => l());
}
