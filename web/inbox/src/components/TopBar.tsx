import { useEffect, useState } from 'preact/hooks';
import type { State, Store } from '../store';
import { initials } from '../format';
import { notificationPermission, requestNotificationPermission } from '../notify';
import { Logo } from './Logo';

export function TopBar({ store, state }: { store: Store; state: State }) {
  const me = state.me!;
  const available = me.available;
  const [perm, setPerm] = useState(notificationPermission());
  // The first connect takes a few ms: only say "Reconnecting" when it lasts.
  const [down, setDown] = useState(false);
  useEffect(() => {
    if (state.socket === 'open') {
      setDown(false);
      return;
    }
    const t = window.setTimeout(() => setDown(true), 1200);
    return () => window.clearTimeout(t);
  }, [state.socket]);

  return (
    <header class="topbar">
      <div class="brand">
        <Logo />
        <span class="brand-name">Parley</span>
        <span class="brand-sub">Agent Inbox</span>
      </div>
      {down && state.socket !== 'open' && (
        <span class="conn" data-testid="connection-state" role="status">
          <span class="conn-dot" /> Reconnecting…
        </span>
      )}
      <div class="topbar-right">
        {perm === 'default' && (
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={async () => setPerm(await requestNotificationPermission())}
            title="Get a desktop notification when a visitor asks for an agent"
          >
            Enable notifications
          </button>
        )}
        <button
          type="button"
          role="switch"
          aria-checked={available}
          class={`availability ${available ? 'is-on' : 'is-off'}`}
          disabled={state.availabilityBusy}
          onClick={() => store.setAvailable(!available)}
          data-testid="availability-toggle"
          data-state={available ? 'available' : 'unavailable'}
          title={available ? 'You receive new chats. Click to stop.' : 'You receive no new chats. Click to go available.'}
        >
          <span class="switch" aria-hidden="true">
            <span class="knob" />
          </span>
          <span class="availability-label">{available ? 'Available' : 'Unavailable'}</span>
        </button>
        <div class="me" title={me.email}>
          <span class="avatar avatar-sm">{initials(me.name)}</span>
          <span class="me-name" data-testid="agent-name">
            {me.name}
          </span>
        </div>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => store.logout()} data-testid="logout">
          Log out
        </button>
      </div>
    </header>
  );
}
