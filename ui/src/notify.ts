import { useSyncExternalStore } from 'react';

export interface Notice {
  id: number;
  kind: 'error' | 'success';
  title?: string;
  message: string;
}

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function dismiss(id: number): void {
  notices = notices.filter((n) => n.id !== id);
  emit();
}

/** Clears every notice: what was said on one account's pages does not follow onto the next sign-in. */
export function dismissAll(): void {
  notices = [];
  emit();
}

export function notify(kind: Notice['kind'], message: string, title?: string): void {
  const id = nextId++;
  notices = [...notices.filter((n) => n.message !== message), { id, kind, message, title }];
  emit();
  setTimeout(() => dismiss(id), 6000);
}

export function useNotices(): Notice[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => notices,
  );
}
