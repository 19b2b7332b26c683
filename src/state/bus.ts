import { Redis } from 'ioredis';

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

export function redisBus(url: string): Bus {
  const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const sub = new Redis(url, { lazyConnect: false });
  const listeners = new Listeners();
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
      await pub.publish(topic, JSON.stringify(payload));
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

export const createBus = (redisUrl: string | undefined): Bus => (redisUrl ? redisBus(redisUrl) : memoryBus());
