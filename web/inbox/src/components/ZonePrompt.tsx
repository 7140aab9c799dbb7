// At first login (the agent's zone is still the default UTC and this computer's differs): a
// dismissible strip proposing the computer's zone, because every time in the Inbox (chats,
// history, "until midnight", meetings) follows the agent's zone. A dismissal is remembered per
// agent in this browser.
import { useState } from 'preact/hooks';
import type { State, Store } from '../store';
import { t } from '../i18n';
import { browserZone } from './Schedule';

const dismissKey = (agentId: number) => `parley.zonePrompt.dismissed.${agentId}`;

function dismissed(agentId: number): boolean {
  try {
    return localStorage.getItem(dismissKey(agentId)) === '1';
  } catch {
    return false;
  }
}

export function ZonePrompt({ store, state }: { store: Store; state: State }) {
  const me = state.me!;
  const [hidden, setHidden] = useState(() => dismissed(me.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const zone = browserZone();
  const current = me.time_zone || 'UTC';
  if (hidden || current !== 'UTC' || zone === 'UTC' || !me.time_zone) return null;

  const show = (z: string) => z.replace(/_/g, ' ');
  async function use() {
    setBusy(true);
    setError(null);
    const err = await store.saveTimeZone(zone);
    setBusy(false);
    if (err) setError(err);
    else store.notify('info', t('zonePrompt.saved', { zone: show(zone) }));
  }
  function dismiss() {
    try {
      localStorage.setItem(dismissKey(me.id), '1');
    } catch {
      /* private mode: hidden for this page only */
    }
    setHidden(true);
  }

  return (
    <div class="alert-setup" role="region" aria-label={t('settings.timeZone')} data-testid="zone-prompt">
      <span class="alert-setup-text">{t('zonePrompt.text', { zone: show(zone), current: show(current) })}</span>
      {error && (
        <span class="form-error" role="alert">
          {error}
        </span>
      )}
      <button type="button" class="btn btn-sm alert-btn" disabled={busy} onClick={use} data-testid="zone-prompt-use">
        {t('zonePrompt.use', { zone: show(zone) })}
      </button>
      <button type="button" class="link-btn alert-later" onClick={dismiss} data-testid="zone-prompt-dismiss">
        {t('common.notNow')}
      </button>
    </div>
  );
}
