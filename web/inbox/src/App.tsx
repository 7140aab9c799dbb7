import { useEffect } from 'preact/hooks';
import type { Store } from './store';
import { useStoreState } from './hooks';
import { Login } from './components/Login';
import { TopBar } from './components/TopBar';
import { RequestBanners } from './components/RequestBanner';
import { ConversationList } from './components/ConversationList';
import { ChatPane } from './components/ChatPane';
import { VisitorPanel } from './components/VisitorPanel';
import { Notices } from './components/Notices';

export function App({ store }: { store: Store }) {
  const state = useStoreState(store);

  // Unread messages and waiting requests show in the tab title.
  const unread = state.list.reduce((n, id) => n + store.unreadCount(id), 0);
  const waiting = state.requests.filter((r) => r.state === 'offered').length;
  useEffect(() => {
    const n = unread + waiting;
    document.title = n > 0 ? `(${n}) Parley Inbox` : 'Parley Inbox';
  }, [unread, waiting]);

  if (state.boot === 'loading') {
    return (
      <div class="boot" data-testid="boot">
        <div class="spinner" aria-label="Loading" />
      </div>
    );
  }
  if (state.boot === 'login' || !state.me) return <Login store={store} notice={state.loginNotice} />;

  const selected = state.selectedId;
  return (
    <div class="app">
      <TopBar store={store} state={state} />
      <RequestBanners store={store} requests={state.requests} />
      <main class="columns">
        <ConversationList store={store} state={state} />
        <ChatPane store={store} state={state} id={selected} />
        <VisitorPanel store={store} state={state} id={selected} />
      </main>
      <Notices store={store} notices={state.notices} />
    </div>
  );
}
