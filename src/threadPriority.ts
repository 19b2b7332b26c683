import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling worker thread's priority below the main thread's. Every request and delivery
 * passes through the main thread: under inbound load it was runnable 97% of the time but waited on
 * the run queue for a third of it, behind the threads that do the work it hands out, while the
 * machine was 16% idle. Linux keeps a nice value per thread (its id is the last part of
 * /proc/thread-self); elsewhere, or where it is refused, the thread keeps the process's priority.
 */
export function belowMainThread(niceness = 10): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), niceness);
  } catch {
    // Not Linux: nothing to lower per thread.
  }
}
