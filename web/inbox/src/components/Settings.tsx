import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { State, Store, View } from '../store';
import { VIEW_PATHS } from '../store';
import type { AgentSettings } from '../types';
import { zonedParts } from '../format';
import { useLeaveGuard, useNow } from '../hooks';
import { notificationPermission, notifyInForeground, requestNotificationPermission, watchNotificationPermission, type Permission } from '../notify';
import { TeamStatus } from './TeamStatus';
import { ProfileSettings } from './ProfileSettings';
import { WorkspaceSettings } from './WorkspaceSettings';
import { EmailSettings } from './EmailSettings';
import { RoutingSettings } from './RoutingSettings';
import { CalendarSettings } from './CalendarSettings';
import { LoadingCard } from './LoadState';
import { ScheduleEditor, ZonePicker, draftBlocks, invalidTimes, wireBlocks, type DraftBlock } from './Schedule';
import { SettingsFooter } from './SettingsFooter';
import { LanguageCard } from './LanguageCard';
import { t } from '../i18n';

/**
 * /inbox/settings and /inbox/settings/calendar, and for admins /inbox/settings/team,
 * /inbox/settings/workspace and /inbox/settings/routing.
 */
export function SettingsPage({ store, state }: { store: Store; state: State }) {
  const admin = state.me?.role === 'admin';
  const view = admin || state.view === 'calendar' ? state.view : 'settings';
  const item = (v: View, text: string, sub: string, testid: string) => (
    <li>
      <a
        href={VIEW_PATHS[v]}
        class={`side-link ${view === v ? 'is-current' : ''}`}
        aria-current={view === v ? 'page' : undefined}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          store.navigate(v);
        }}
        data-testid={testid}
      >
        <span>{text}</span>
        <small>{sub}</small>
      </a>
    </li>
  );
  return (
    <main class="settings-page" data-testid="settings-page" data-view={view}>
      <aside class="settings-side">
        <h1>{t('settings.title')}</h1>
        <ul>
          {item('settings', t('settings.navMine'), t('settings.navMineSub'), 'nav-my-settings')}
          {item('calendar', t('settings.navCalendar'), t('settings.navCalendarSub'), 'nav-calendar')}
          {admin && item('team', t('settings.navTeam'), t('settings.navTeamSub'), 'nav-team')}
          {admin && item('workspace', t('settings.navWorkspace'), t('settings.navWorkspaceSub'), 'nav-workspace')}
          {admin && item('routing', t('settings.navRouting'), t('settings.navRoutingSub'), 'nav-routing')}
        </ul>
      </aside>
      <div class="settings-main">
        {view === 'team' ? (
          <TeamStatus store={store} state={state} />
        ) : view === 'workspace' ? (
          <>
            <WorkspaceSettings store={store} />
            <EmailSettings store={store} />
          </>
        ) : view === 'routing' ? (
          <RoutingSettings store={store} state={state} />
        ) : view === 'calendar' ? (
          <CalendarSettings store={store} state={state} />
        ) : (
          <>
            <ProfileSettings state={state} />
            <MySettings store={store} state={state} />
          </>
        )}
      </div>
    </main>
  );
}

// ---- my settings ------------------------------------------------------------------------

interface Draft {
  time_zone: string;
  blocks: DraftBlock[];
  max_chats: string;
  sound: boolean;
  language: AgentSettings['language'];
}

function toDraft(s: AgentSettings): Draft {
  return {
    time_zone: s.time_zone || 'UTC',
    blocks: draftBlocks(s.schedule),
    max_chats: String(s.max_chats ?? 10),
    sound: s.sound !== false,
    language: s.language ?? '',
  };
}

function fromDraft(d: Draft): AgentSettings {
  return {
    time_zone: d.time_zone,
    schedule: wireBlocks(d.blocks),
    max_chats: Number(d.max_chats),
    sound: d.sound,
    language: d.language,
  };
}

function sameSettings(a: AgentSettings, b: AgentSettings): boolean {
  return JSON.stringify(fromDraft(toDraft(a))) === JSON.stringify(fromDraft(toDraft(b)));
}

function MySettings({ store, state }: { store: Store; state: State }) {
  const settings = state.settings;
  const [draft, setDraft] = useState<Draft | null>(settings ? toDraft(settings) : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const now = useNow(15_000);
  const leaveGuard = useLeaveGuard(store);

  // The page reloads the settings when it opens: a draft nobody has touched yet follows the fresh
  // copy (else it would show stale values, and count as unsaved changes).
  const base = useRef(settings);
  useEffect(() => {
    const untouched = !draft || (!!base.current && sameSettings(base.current, fromDraft(draft)));
    if (settings && untouched) setDraft(toDraft(settings));
    base.current = settings;
  }, [settings]);

  if (!draft) return <LoadingCard error={state.settingsError} onRetry={() => store.loadSettings()} errorTestId="settings-error" text={t('settings.loading')} />;

  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const invalid = invalidTimes(draft.blocks);
  const maxChats = Number(draft.max_chats);
  const maxChatsBad = !Number.isInteger(maxChats) || maxChats < 1 || maxChats > 1000;
  const next = fromDraft(draft);
  const dirty = !settings || !sameSettings(settings, next);
  leaveGuard.current = !!settings && dirty;
  const here = zonedParts(now, draft.time_zone);

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (invalid.size) {
      setError(t('cal.badTimes'));
      return;
    }
    if (maxChatsBad) {
      setError(t('settings.maxChatsBad'));
      return;
    }
    setBusy(true);
    setError(null);
    const err = await store.saveSettings(next);
    setBusy(false);
    if (err) {
      setError(t('cal.notSaved', { error: err }));
      return;
    }
    setSaved(true);
    if (store.state.settings) setDraft(toDraft(store.state.settings));
  }

  return (
    <form class="settings-form" onSubmit={save} noValidate data-testid="settings-form">
      <header class="settings-head">
        <div>
          <h2>{t('settings.navMine')}</h2>
          <p class="muted">{t('settings.mineSub')}</p>
        </div>
      </header>

      <LanguageCard value={draft.language} onChange={(language) => update({ language })} />

      <section class="card">
        <h3>{t('settings.timeZone')}</h3>
        <p class="muted small">{t('settings.zoneHelp')}</p>
        <ZonePicker zone={draft.time_zone} now={now} onZone={(time_zone) => update({ time_zone })} testid="settings-time-zone" nowTestid="settings-zone-now" />
      </section>

      <section class="card">
        <h3>{t('settings.hours')}</h3>
        <p class="muted small">
          {t('settings.hoursHelp')}
        </p>
        <ScheduleEditor blocks={draft.blocks} onBlocks={(blocks) => update({ blocks })} todayWeekday={here.weekday} invalid={invalid} offText={t('settings.notAvailable')} />
      </section>

      <section class="card">
        <h3>{t('settings.chatsAlerts')}</h3>
        <div class="settings-grid">
          <label class="field field-inline">
            <span>{t('settings.maxChats')}</span>
            <input
              type="number"
              min={1}
              max={1000}
              step={1}
              value={draft.max_chats}
              aria-invalid={maxChatsBad ? 'true' : 'false'}
              onInput={(e) => update({ max_chats: (e.target as HTMLInputElement).value })}
              data-testid="settings-max-chats"
            />
            <small class="muted">{t('settings.maxChatsHelp')}</small>
          </label>
          <div class="field field-inline">
            <span>{t('settings.sound')}</span>
            <label class="check">
              <input type="checkbox" checked={draft.sound} onChange={(e) => update({ sound: (e.target as HTMLInputElement).checked })} data-testid="settings-sound" />
              {t('settings.ring')}
            </label>
            <button type="button" class="link-btn small" onClick={() => store.sound.test()} data-testid="settings-test-sound">
              {t('settings.playSound')}
            </button>
          </div>
        </div>
      </section>

      <BrowserAlerts />

      <SettingsFooter
        id="settings"
        error={error}
        saved={!!saved}
        dirty={dirty}
        busy={busy}
        canDiscard={!!settings}
        onDiscard={() => {
          if (settings) setDraft(toDraft(settings));
          setError(null);
        }}
        saveLabel={t('settings.save')}
      />
    </form>
  );
}

/** Per-browser preferences (not stored on the server: permission is per browser anyway). */
function BrowserAlerts() {
  const [perm, setPerm] = useState<Permission>(notificationPermission());
  const [foreground, setForeground] = useState(notifyInForeground.get());
  useEffect(() => watchNotificationPermission(setPerm), []);
  const text = useMemo(
    () =>
      perm === 'granted'
        ? t('settings.notifAllowed')
        : perm === 'denied'
          ? t('settings.notifBlocked')
          : perm === 'unsupported'
            ? t('settings.notifUnsupported')
            : t('settings.notifNotYet'),
    [perm],
  );
  return (
    <section class="card">
      <h3>{t('settings.thisBrowser')}</h3>
      <div class="field field-inline">
        <span>{t('settings.browserNotif')}</span>
        <p class="muted small" data-testid="settings-notification-state">
          {text}
        </p>
        {perm === 'default' && (
          <button type="button" class="btn btn-sm" onClick={async () => setPerm(await requestNotificationPermission())} data-testid="settings-enable-notifications">
            {t('alerts.enableNotifications')}
          </button>
        )}
        <label class="check">
          <input
            type="checkbox"
            checked={foreground}
            disabled={perm === 'unsupported'}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              notifyInForeground.set(on);
              setForeground(on);
            }}
            data-testid="settings-notify-foreground"
          />
          {t('settings.foreground')}
        </label>
      </div>
    </section>
  );
}
