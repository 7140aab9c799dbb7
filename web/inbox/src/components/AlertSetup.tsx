import { useEffect, useState } from 'preact/hooks';
import type { State, Store } from '../store';
import { notificationPermission, notificationPrompt, requestNotificationPermission, watchNotificationPermission, type Permission } from '../notify';
import { t } from '../i18n';

/**
 * The strip under the top bar that gets the agent's alerts working:
 * "Enable sound" (browsers only let a page play audio after a click on it) and
 * "Enable browser notifications" (asks for permission once; a dismissal is remembered).
 */
export function AlertSetup({ store, state }: { store: Store; state: State }) {
  const [perm, setPerm] = useState<Permission>(notificationPermission());
  const [notifDismissed, setNotifDismissed] = useState(notificationPrompt.dismissed());
  useEffect(() => watchNotificationPermission(setPerm), []);

  const soundOn = state.settings?.sound ?? state.me?.sound ?? true;
  // A calendar-only user gets no chat requests, so no request sound; notifications still tell them about meetings.
  const takesChats = state.me?.takes_chats !== false;
  const askSound = takesChats && soundOn && state.sound !== 'unlocked' && (!state.soundPromptDismissed || state.sound === 'blocked');
  const askNotif = perm === 'default' && !notifDismissed;
  if (!askSound && !askNotif) return null;

  const blocked = state.sound === 'blocked';
  return (
    <div class={`alert-setup ${blocked ? 'is-warning' : ''}`} role="region" aria-label={t('alerts.region')} data-testid="alert-setup">
      <BellIcon />
      <span class="alert-setup-text">
        {blocked
          ? t('alerts.blocked')
          : takesChats
            ? t('alerts.chats')
            : t('alerts.meetings')}
      </span>
      {askSound && (
        <button
          type="button"
          class="btn btn-sm alert-btn"
          // play()/pause() must happen inside this click for the browser to allow sound later.
          onClick={() => store.enableSound()}
          data-testid="enable-sound"
        >
          <SpeakerIcon /> {t('alerts.enableSound')}
        </button>
      )}
      {askNotif && (
        <button
          type="button"
          class="btn btn-sm alert-btn"
          onClick={async () => {
            const p = await requestNotificationPermission();
            setPerm(p);
            if (p !== 'default') {
              notificationPrompt.dismiss();
              setNotifDismissed(true);
            }
          }}
          data-testid="enable-notifications"
        >
          <BellIcon small /> {t('alerts.enableNotifications')}
        </button>
      )}
      <button
        type="button"
        class="link-btn alert-later"
        onClick={() => {
          if (askNotif) {
            notificationPrompt.dismiss();
            setNotifDismissed(true);
          }
          if (askSound) store.dismissSoundPrompt();
        }}
        data-testid="alerts-dismiss"
      >
        {t('common.notNow')}
      </button>
    </div>
  );
}

function BellIcon({ small }: { small?: boolean }) {
  const s = small ? 14 : 16;
  return (
    <svg width={s} height={s} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

function SpeakerIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M11 5 6 9H2v6h4l5 4V5z" />
      <path d="M15.54 8.46a5 5 0 0 1 0 7.07" />
      <path d="M19.07 4.93a10 10 0 0 1 0 14.14" />
    </svg>
  );
}
