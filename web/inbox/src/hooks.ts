import { useEffect, useReducer, useState } from 'preact/hooks';
import type { Store, State } from './store';

/** Re-renders the caller whenever the store changes. */
export function useStoreState(store: Store): State {
  const [, bump] = useReducer((n: number, _: unknown) => n + 1, 0);
  useEffect(() => store.subscribe(() => bump(undefined)), [store]);
  return store.state;
}

/** The current time, refreshed every `everyMs` (for relative timestamps). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}
