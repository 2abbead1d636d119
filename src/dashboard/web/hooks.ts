import { useEffect, useState } from 'react';
import { getJson } from './api.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ok'; data: T };

/** GETs path (again whenever it or `version` changes). */
export function useJson<T>(path: string | undefined, version = 0): Loaded<T> {
  const [v, setV] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === undefined) return;
    let live = true;
    getJson<T>(path).then(
      (data) => live && setV({ state: 'ok', data }),
      (e: unknown) => live && setV({ state: 'error', error: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [path, version]);
  return v;
}
