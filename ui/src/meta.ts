import { useEffect, useState } from 'react';
import { api } from './api.ts';

/** Public facts about this installation, from `GET /api/meta`. */
export interface Meta {
  help: { phone: string; email: string };
}

let pending: Promise<Meta> | null = null;

export function useMeta(): Meta | null {
  const [meta, setMeta] = useState<Meta | null>(null);
  useEffect(() => {
    pending ??= api.get<Meta>('/api/meta', { notify: false }).catch((err) => {
      pending = null;
      throw err;
    });
    let live = true;
    pending.then((m) => live && setMeta(m)).catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return meta;
}
