// Entry of widget.js: one classic <script src=".../widget.js" async> on any site.
// The server origin is where this script came from, so the widget works cross-site.
import { Widget } from './widget';
import { followVisualViewport } from './viewport';
import { setWidgetLanguage, t } from './i18n';

declare global {
  interface Window {
    __parleyWidget?: boolean;
  }
}

function findOwnScript(): HTMLScriptElement | null {
  // currentScript is only set while this file is being executed, so it is read at load time.
  const cur = document.currentScript;
  if (cur instanceof HTMLScriptElement && cur.src) return cur;
  const scripts = Array.from(document.getElementsByTagName('script')).reverse();
  return scripts.find((s) => /\/widget\.js(?:[?#].*)?$/.test(s.src)) ?? null;
}

const script = findOwnScript();

function serverOrigin(): string {
  try {
    if (script?.src) return new URL(script.src, location.href).origin;
  } catch {
    /* fall through */
  }
  return location.origin;
}

function mount(): void {
  if (window.__parleyWidget) return; // included twice: one widget is enough
  window.__parleyWidget = true;
  const host = document.createElement('parley-chat');
  // The host itself is reset so page CSS cannot move or hide it; its content lives in a shadow root.
  // It covers the visible area (viewport.ts) but lets clicks through to the page, except on the
  // launcher and the panel (styles.ts).
  host.style.cssText =
    'all: initial; position: fixed; z-index: 2147483000; left: 0; top: 0; width: 100vw; height: 100vh; display: block; pointer-events: none; transform-origin: 0 0;';
  host.setAttribute('data-testid', 'parley-widget');
  document.body.appendChild(host);
  const accent = script?.dataset.accent && /^#[0-9a-fA-F]{3,8}$/.test(script.dataset.accent) ? script.dataset.accent : '#4f46e5';
  // The host page may force the language: data-lang="sv" on this script tag (or on a
  // <parley-chat data-lang="sv"> it placed itself); else the visitor's browser.
  const placed = document.querySelector('parley-chat[data-lang]')?.getAttribute('data-lang');
  setWidgetLanguage(script?.dataset.lang || placed);
  const title = (script?.dataset.title || t('title')).slice(0, 60);
  const widget = new Widget(host, { origin: serverOrigin(), accent, title });
  followVisualViewport(host, (phone) => widget.setPhone(phone));
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
