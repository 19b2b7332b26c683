import pino from 'pino';
import { SideEffects, type SideEffect, type SideEffectRepo } from '../../src/core/sideEffects.ts';
import type { Clock } from '../../src/core/ports.ts';

/** Side-effect rows in memory, for core tests whose other repositories are in memory too. */
export function memorySideEffects(clock: Clock, log: ConstructorParameters<typeof SideEffects>[0]['log'] = pino({ level: 'silent' })) {
  const rows = new Map<string, SideEffect & { next: number; givenUp?: string }>();
  const repo: SideEffectRepo = {
    async add(items, heldUntil) {
      for (const i of items) rows.set(i.id, { ...i, next: heldUntil.getTime() });
    },
    async claim(now, until, limit) {
      const due = [...rows.values()].filter((r) => !r.givenUp && r.next <= now.getTime()).slice(0, limit);
      for (const r of due) Object.assign(r, { next: until.getTime(), attempts: r.attempts + 1 });
      return due.map((r) => ({ ...r }));
    },
    async done(id) {
      rows.delete(id);
    },
    async retry(id, next) {
      rows.get(id)!.next = next.getTime();
    },
    async giveUp(id, error) {
      rows.get(id)!.givenUp = error;
    },
    async pending() {
      return [...rows.values()].filter((r) => !r.givenUp).length;
    },
  };
  return { effects: new SideEffects({ repo, clock, log }), rows };
}
