import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api.ts';
import { notify } from '../../../notify.ts';

/** Where a device list lives and what it says after each action (catalogue keys; `bulkDone` gets `{count}`). */
export interface DeviceListApi {
  /** GET `<path>` lists, DELETE `<path>/<id>` removes one, POST `<path>/<bulk>` removes many. */
  path: string;
  bulk: string;
  removed: string;
  bulkDone: string;
}

/** A device list loaded from the server (again when the language changes) with its two actions; errors are already shown by `api`. */
export function useDeviceList<D>({ path, bulk, removed, bulkDone }: DeviceListApi) {
  const { t, i18n } = useTranslation();
  const [devices, setDevices] = useState<D[] | null>(null);

  const load = useCallback(async () => {
    setDevices((await api.get<{ devices: D[] }>(path)).devices);
  }, [path]);

  useEffect(() => {
    void load().catch(() => {});
  }, [load, i18n.language]);

  const removeOne = async (id: string) => {
    await api.del(`${path}/${encodeURIComponent(id)}`);
    notify('success', t(removed));
    await load();
  };

  const removeMany = async () => {
    const { count } = await api.post<{ count: number }>(`${path}/${bulk}`);
    notify('success', t(bulkDone, { count }));
    await load();
  };

  return {
    devices,
    remove: (id: string) => void removeOne(id).catch(() => {}),
    removeAll: () => void removeMany().catch(() => {}),
  };
}
