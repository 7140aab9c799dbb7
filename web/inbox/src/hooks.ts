import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { Store, State } from './store';
import { ApiError } from './api';
import { errorText } from './store';

/** Re-renders the caller whenever the store changes. */
export function useStoreState(store: Store): State {
  const [, bump] = useReducer((n: number, _: unknown) => n + 1, 0);
  const rendered = store.state;
  useEffect(() => {
    const unsubscribe = store.subscribe(() => bump(undefined));
    // The subscription starts after the first paint: a change in between (a fast first
    // /me answer) would otherwise never be shown — the Inbox stayed on its spinner.
    if (store.state !== rendered) bump(undefined);
    return unsubscribe;
  }, [store]);
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

/**
 * An admin object edited on a settings page: loaded once (`load` again to retry), kept as the saved
 * copy plus an editable draft. `replace` takes a fresh copy from the server (after a load or a save).
 */
export function useServerDraft<T, D>(fetchValue: () => Promise<T>, toDraft: (value: T) => D, forbiddenText: string) {
  const [saved, setSaved] = useState<T | null>(null);
  const [draft, setDraft] = useState<D | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const replace = (value: T) => {
    setSaved(value);
    setDraft(toDraft(value));
  };
  const load = () => {
    setLoadError(null);
    fetchValue().then(replace, (e) => setLoadError(e instanceof ApiError && e.status === 403 ? forbiddenText : errorText(e)));
  };
  useEffect(load, []);
  return { saved, setSaved, draft, setDraft, replace, loadError, load };
}

/**
 * A settings form's unsaved changes: set `.current` to whether the form differs from what is saved
 * (on every render). While it does, leaving the page in the Inbox asks first (store.navigate,
 * ConfirmLeave), and closing or reloading the tab gets the browser's own "Leave site?" question.
 */
export function useLeaveGuard(store: Store): { current: boolean } {
  const dirty = useRef(false);
  useEffect(() => {
    const off = store.guardLeave(() => dirty.current);
    const onUnload = (e: BeforeUnloadEvent) => {
      if (!dirty.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      off();
      dirty.current = false;
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [store]);
  return dirty;
}
