// The dependencies of a node (database, Redis) and the probe /healthz, /readyz and /metrics use.

/** A dependency the node needs; `ping` resolves when it answers. */
export interface Dependency {
  name: 'database' | 'redis';
  /** The database's dialect, shown to the operator. */
  kind?: string;
  ping(): Promise<unknown>;
}

export interface Probed {
  name: string;
  kind?: string;
  status: 'ok' | 'unavailable';
  ms: number;
}

// A probe that hangs (Redis reconnecting, a pool waiting for a connection) counts as down.
const probeTimeoutMs = 1000;

export async function probe(dep: Dependency): Promise<Probed> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), probeTimeoutMs)));
  const ok = await Promise.race([dep.ping(), timeout]).then(() => true, () => false);
  clearTimeout(timer);
  return { name: dep.name, ...(dep.kind ? { kind: dep.kind } : {}), status: ok ? 'ok' : 'unavailable', ms: Math.round(performance.now() - started) };
}
