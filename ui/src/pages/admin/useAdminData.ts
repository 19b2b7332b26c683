import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api.ts';

/** GETs `path` and again whenever `reload` is called (after a change). */
export function useAdminData<T>(path: string): { data: T | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const reload = useCallback(async () => setData(await api.get<T>(path)), [path]);
  useEffect(() => {
    void reload().catch(() => {});
  }, [reload]);
  return { data, reload };
}
