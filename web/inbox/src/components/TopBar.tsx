import { useEffect, useState } from 'preact/hooks';
import type { State, Store, View } from '../store';
import { VIEW_PATHS } from '../store';
import { availabilityText, effectiveStatus, initials, noHoursHint } from '../format';
import { useNow } from '../hooks';
import { Logo } from './Logo';
import { t } from '../i18n';

export function TopBar({ store, state }: { store: Store; state: State }) {
  const me = state.me!;
  const status = effectiveStatus(me);
  const available = status.available;
  // Re-render each minute so "until 17:00" becomes "until Tue 08:00"-style text at midnight.
  const now = useNow(60_000);
  const { label, reason, noHours } = availabilityText(me, now);
  const admin = me.role === 'admin';
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

  // A calendar-only user (takes no chats) has no availability to toggle.
  const takesChats = me.takes_chats !== false;
  const nav = (view: View, text: string, testid: string, current: boolean) => (
    <a
      href={VIEW_PATHS[view]}
      class={`nav-link ${current ? 'is-current' : ''}`}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        store.navigate(view);
      }}
      data-testid={testid}
    >
      {text}
    </a>
  );

  return (
    <header class="topbar">
      <div class="brand">
        <Logo />
        <span class="brand-name">Parley</span>
        <span class="brand-sub">{t('topbar.sub')}</span>
      </div>
      <nav class="topnav" aria-label={t('topbar.pages')}>
        {nav('inbox', t('topbar.inbox'), 'open-inbox', state.view === 'inbox')}
        {nav('meetings', t('topbar.meetings'), 'open-meetings', state.view === 'meetings')}
        {admin && nav('team', t('topbar.team'), 'open-team', state.view === 'team')}
        {/* A calendar-only user's settings are their meeting calendar. */}
        {nav(takesChats ? 'settings' : 'calendar', t('topbar.settings'), 'open-settings', state.view === 'settings' || state.view === 'calendar' || state.view === 'workspace' || state.view === 'routing')}
      </nav>
      {down && state.socket !== 'open' && (
        <span class="conn" data-testid="connection-state" role="status">
          <span class="conn-dot" /> {t('topbar.reconnecting')}
        </span>
      )}
      <div class="topbar-right">
        {!takesChats && (
          <span class="calendar-only" data-testid="calendar-only" title={t('topbar.calendarOnlyTitle')}>
            {t('topbar.calendarOnly')}
          </span>
        )}
        {takesChats && (
        <button
          type="button"
          role="switch"
          aria-checked={available}
          class={`availability ${available ? 'is-on' : 'is-off'}`}
          disabled={state.availabilityBusy}
          onClick={() => store.setAvailable(!available)}
          data-testid="availability-toggle"
          data-state={available ? 'available' : 'unavailable'}
          data-source={me.status?.source ?? ''}
          title={
            available
              ? t('topbar.onTitle')
              : noHours
                ? t('topbar.offNoHoursTitle', { hint: noHoursHint() })
                : t('topbar.offTitle')
          }
        >
          <span class="switch" aria-hidden="true">
            <span class="knob" />
          </span>
          <span class="availability-text">
            <span class="availability-label">{label}</span>
            {reason && <span class="availability-reason">{reason}</span>}
          </span>
        </button>
        )}
        {takesChats && noHours && (
          <a
            href={VIEW_PATHS.settings}
            class="hours-link"
            title={noHoursHint()}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              store.navigate('settings');
            }}
            data-testid="set-working-hours"
          >
            {t('topbar.setHours')}
          </a>
        )}
        <div class="me" title={me.email}>
          <span class="avatar avatar-sm" data-testid="me-avatar">{me.initials || initials(me.name)}</span>
          <span class="me-name" data-testid="agent-name">
            {me.name}
          </span>
        </div>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => store.logout()} data-testid="logout">
          {t('topbar.logout')}
        </button>
      </div>
    </header>
  );
}
