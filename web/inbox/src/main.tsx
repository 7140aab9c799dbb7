import { render } from 'preact';
import { App } from './App';
import { Store } from './store';
import './styles.css';
import { initInboxLanguage } from './i18n';

// The browser's language until the agent's own setting is known (i18n.ts, App.tsx).
initInboxLanguage();

const store = new Store();
render(<App store={store} />, document.getElementById('app')!);
void store.boot();
