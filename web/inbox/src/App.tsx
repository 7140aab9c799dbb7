import { useEffect } from 'preact/hooks';
import type { Store } from './store';
import { useStoreState } from './hooks';
import { CHIME_URL } from './sound';
import { Login } from './components/Login';
import { TopBar } from './components/TopBar';
import { AlertSetup } from './components/AlertSetup';
import { RequestBanners } from './components/RequestBanner';
import { ConversationList } from './components/ConversationList';
import { ChatPane } from './components/ChatPane';
import { VisitorPanel } from './components/VisitorPanel';
import { SettingsPage } from './components/Settings';
import { Notices } from './components/Notices';
import { MeetingAlerts } from './components/MeetingAlerts';
import { MeetingsPage } from './components/Meetings';
import { ConfirmLeave } from './components/ConfirmDialog';
import { applyAgentLanguage, t } from './i18n';
import { ZonePrompt } from './components/ZonePrompt';

export function App({ store }: { store: Store }) {
  const state = useStoreState(store);
  // The agent's language, applied before anything below renders a text (i18n.ts).
  const lang = state.me?.language;
  applyAgentLanguage(lang);

  // Waiting requests and unread messages show in the tab title.
  const unread = state.list.reduce((n, id) => n + store.unreadCount(id), 0);
  const waiting = state.requests.filter((r) => r.state === 'offered').length;
  useEffect(() => {
    const n = unread + waiting;
    document.title = n > 0 ? t('app.titleCount', { count: n }) : t('app.title');
  }, [unread, waiting, lang]);

  // The sound rings while a request waits for an answer (and the agent wants sound).
  const ring = state.boot === 'ready' && waiting > 0 && (state.settings?.sound ?? state.me?.sound ?? true);
  useEffect(() => store.sound.set(ring), [ring]);

  if (state.boot === 'loading') {
    return (
      <div class="boot" data-testid="boot">
        <div class="spinner" aria-label={t('app.loading')} />
      </div>
    );
  }
  if (state.boot === 'login' || !state.me) return <Login store={store} notice={state.loginNotice} />;

  const selected = state.selectedId;
  return (
    <div class="app">
      <TopBar store={store} state={state} />
      <AlertSetup store={store} state={state} />
      <ZonePrompt store={store} state={state} />
      <RequestBanners store={store} requests={state.requests} focusId={state.focusRequestId} />
      <MeetingAlerts store={store} alerts={state.meetingAlerts} />
      {state.view === 'inbox' ? (
        // Narrow screens show one pane at a time (styles.css, layout.ts): which one is said here.
        <main class="columns" data-pane={selected == null ? 'list' : state.infoOpen ? 'visitor' : 'chat'}>
          <ConversationList store={store} state={state} />
          <ChatPane store={store} state={state} id={selected} />
          <VisitorPanel store={store} state={state} id={selected} />
        </main>
      ) : state.view === 'meetings' ? (
        <MeetingsPage store={store} state={state} />
      ) : (
        <SettingsPage store={store} state={state} />
      )}
      <Notices store={store} notices={state.notices} />
      {state.leaveTarget && <ConfirmLeave onLeave={() => store.confirmLeave()} onStay={() => store.cancelLeave()} />}
      <audio ref={store.sound.attach} src={CHIME_URL} loop preload="auto" data-testid="request-sound" />
    </div>
  );
}
