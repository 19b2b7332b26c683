import { redisClient, type RedisWatch } from './redisClient.ts';

/**
 * Heard on every topic when the bus is connected again after losing Redis: events published
 * meanwhile are gone, so listeners read the state again (IMAP IDLE, JMAP push).
 */
export const resyncEvent = { type: 'resync' } as const;

export const isResync = (payload: unknown): boolean => (payload as { type?: unknown } | null)?.type === resyncEvent.type;

/** Publish/subscribe between the parts of Postern (and between nodes, over Redis). */
export interface Bus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, fn: (payload: unknown) => void): () => void;
  /** Resolves when the bus's server (Redis) answers. */
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

class Listeners {
  #byTopic = new Map<string, Set<(payload: unknown) => void>>();

  add(topic: string, fn: (payload: unknown) => void): boolean {
    const set = this.#byTopic.get(topic) ?? new Set();
    const first = set.size === 0;
    set.add(fn);
    this.#byTopic.set(topic, set);
    return first;
  }

  /** Returns true when the topic has no listener left. */
  remove(topic: string, fn: (payload: unknown) => void): boolean {
    const set = this.#byTopic.get(topic);
    if (!set?.delete(fn)) return false;
    if (set.size > 0) return false;
    this.#byTopic.delete(topic);
    return true;
  }

  topics(): string[] {
    return [...this.#byTopic.keys()];
  }

  emit(topic: string, payload: unknown): void {
    for (const fn of this.#byTopic.get(topic) ?? []) {
      try {
        fn(payload);
      } catch {
        // One failing listener must not keep the others from hearing the event.
      }
    }
  }
}

export function memoryBus(): Bus {
  const listeners = new Listeners();
  return {
    async publish(topic, payload) {
      listeners.emit(topic, payload);
    },
    subscribe(topic, fn) {
      listeners.add(topic, fn);
      return () => void listeners.remove(topic, fn);
    },
    async ping() {},
    async close() {},
  };
}

const quiet: RedisWatch = { down() {}, up() {} };

/**
 * Publishing fails fast while Redis is away: the change is committed, this node's listeners hear
 * it directly, and every listener resyncs once both connections are back.
 */
export function redisBus(url: string, watch: RedisWatch = quiet): Bus {
  const listeners = new Listeners();
  const resync = () => {
    for (const topic of listeners.topics()) listeners.emit(topic, resyncEvent);
  };
  const pub = redisClient(url, { down: watch.down, up: () => (watch.up(), resync()) }, { subscriber: false });
  const sub = redisClient(url, {
    down: () => {},
    // ioredis sends its SUBSCRIBEs again right after 'ready'; a PING answered after them means
    // every topic is heard again, so a resync read from here on misses nothing.
    up: () => setImmediate(() => void sub.ping().catch(() => {}).then(resync)),
  }, { subscriber: true });
  sub.on('message', (topic: string, message: string) => {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return;
    }
    listeners.emit(topic, payload);
  });
  return {
    async publish(topic, payload) {
      try {
        await pub.publish(topic, JSON.stringify(payload));
      } catch (err) {
        listeners.emit(topic, payload);
        throw err;
      }
    },
    subscribe(topic, fn) {
      if (listeners.add(topic, fn)) sub.subscribe(topic).catch(() => {});
      return () => {
        if (listeners.remove(topic, fn)) sub.unsubscribe(topic).catch(() => {});
      };
    },
    ping: () => pub.ping(),
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

export const createBus = (redisUrl: string | undefined, watch?: RedisWatch): Bus => (redisUrl ? redisBus(redisUrl, watch) : memoryBus());
