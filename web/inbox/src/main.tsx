import { render } from 'preact';
import { App } from './App';
import { Store } from './store';
import './styles.css';

const store = new Store();
render(<App store={store} />, document.getElementById('app')!);
void store.boot();
