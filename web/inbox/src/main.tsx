import { render } from 'preact';
import { App } from './App';
import { Store } from './store';
import { SET_PASSWORD_PATH, SetPasswordPage } from './components/SetPasswordPage';
import './styles.css';
import { initInboxLanguage } from './i18n';

// The browser's language until the agent's own setting is known (i18n.ts, App.tsx).
initInboxLanguage();

if (location.pathname === SET_PASSWORD_PATH) {
  // An invitation or reset link: its own page, without a session (no boot, no socket).
  render(<SetPasswordPage />, document.getElementById('app')!);
} else {
  const store = new Store();
  render(<App store={store} />, document.getElementById('app')!);
  void store.boot();
}
