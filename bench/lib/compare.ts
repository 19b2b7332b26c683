// Throughput of two servers measured side by side: the same work in alternating rounds, so that
// load from elsewhere on the machine hits both alike; server CPU per unit of work alongside.
import { cpuSeconds, machineTimes } from './processes.ts';

export interface Side {
  /** The server's process (its children's CPU counts too). */
  pid: number;
  /** One unit of work by client `worker` (0 … workers-1). */
  cycle(worker: number): Promise<void>;
  /** Work the server still does after a round for what it received (measured apart, before the next round). */
  settle?(): Promise<void>;
}

export interface Measured {
  /** Units of work done in all rounds. */
  units: number;
  rate: number;
  /** Server CPU milliseconds per unit of work. */
  cpuMs: number;
  /** Seconds spent settling after the rounds, and server CPU milliseconds per unit in them. */
  settleSeconds: number;
  settleCpuMs: number;
  /** The share of the machine's CPU time left idle during the rounds: work the server could not keep the cores busy with. */
  idle: number;
}

/** Units per second over `ms`, `workers` clients at a time. */
export async function rate(side: Side, workers: number, ms: number): Promise<number> {
  let done = 0;
  const end = Date.now() + ms;
  const worker = async (w: number) => {
    while (Date.now() < end) {
      await side.cycle(w);
      done++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return done / ((Date.now() - started) / 1000);
}

/** `seconds` of work for each side, split into `rounds` alternating rounds. */
export async function compare(sides: Side[], workers: number, seconds: number, rounds = 5): Promise<Measured[]> {
  const totals = sides.map(() => ({ units: 0, seconds: 0, cpu: 0, settleSeconds: 0, settleCpu: 0, idle: 0, all: 0 }));
  for (let i = 0; i < rounds; i++) {
    for (const [k, side] of sides.entries()) {
      const cpu = cpuSeconds(side.pid);
      const machine = machineTimes();
      const started = Date.now();
      const r = await rate(side, workers, (seconds * 1000) / rounds);
      const elapsed = (Date.now() - started) / 1000;
      const after = machineTimes();
      totals[k].idle += after.idle - machine.idle;
      totals[k].all += after.all - machine.all;
      totals[k].units += r * elapsed;
      totals[k].seconds += elapsed;
      totals[k].cpu += cpuSeconds(side.pid) - cpu;
      if (side.settle) {
        const settleCpu = cpuSeconds(side.pid);
        const settleStarted = Date.now();
        await side.settle();
        totals[k].settleSeconds += (Date.now() - settleStarted) / 1000;
        totals[k].settleCpu += cpuSeconds(side.pid) - settleCpu;
      }
    }
  }
  return totals.map((t) => ({ units: t.units, rate: t.units / t.seconds, cpuMs: (t.cpu * 1000) / t.units, settleSeconds: t.settleSeconds, settleCpuMs: (t.settleCpu * 1000) / t.units, idle: t.idle / t.all }));
}
