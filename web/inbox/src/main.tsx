import { render } from 'preact';
import { App } from './App';
import { Store } from './store';
import './styles.css';
import { setClockLocale } from '../../shared/clock';

// One clock in the whole Inbox (shared/clock.ts): English words, 24-hour times.
setClockLocale('en-GB');

const store = new Store();
render(<App store={store} />, document.getElementById('app')!);
void store.boot();
