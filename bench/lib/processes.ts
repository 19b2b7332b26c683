// Child processes of the benchmarks: starting a server and reading the CPU it used.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Starts a child and waits until its output matches `ready`; what it writes after that is read and dropped. */
export function startChild(command: string, args: string[], ready: RegExp, env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn('sh', ['-c', `ulimit -n $(ulimit -Hn) && exec "$0" "$@"`, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  let output = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      if (started) return;
      output += d.toString();
      if (ready.test(output)) {
        started = true;
        resolve({ child, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${output}`)));
  });
}

/** The fields of a /proc stat file after "pid (comm) ", 0-based from state: ppid 1, utime 11, stime 12, cutime 13, cstime 14. */
const statFields = (path: string): string[] => readFileSync(path, 'utf8').replace(/^.*\) /, '').split(' ');

/** CPU seconds used so far by a process and its descendants (living and reaped). */
export function cpuSeconds(root: number): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const fields = statFields(`/proc/${pid}/stat`);
      return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) }];
    } catch {
      return [];
    }
  });
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => tree.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0) / 100;
}

/** The machine's CPU time so far, all of it and idle (iowait counted idle), in clock ticks. */
export function machineTimes(): { all: number; idle: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return { all: ticks.reduce((a, b) => a + b, 0), idle: ticks[3] + ticks[4] };
}

/** CPU seconds used so far by the threads of one process, summed by thread name (main thread, workers, GC helpers, libuv pool). */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const fields = statFields(`/proc/${pid}/task/${tid}/stat`);
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return byName;
}
