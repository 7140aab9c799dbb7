// Page views of the host page, for the visitor's activity history and the agent's live
// "current page": one on load, then one per navigation of a single-page app (history.pushState /
// replaceState, and back/forward via popstate). A change of the #fragment alone is not a new page,
// and neither is a replaceState that keeps the URL.

export interface PageView {
  url: string;
  title: string;
}

/** Frameworks usually set document.title just after they change the URL: read it a moment later. */
const SETTLE_MS = 300;

function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

/** Calls `report` now for the current page and after every navigation to a new one. */
export function trackPageViews(report: (view: PageView) => void): void {
  let last = '';
  let timer: number | undefined;
  const check = () => {
    const url = location.href;
    const key = withoutHash(url);
    if (key === last) return;
    last = key;
    report({ url, title: (document.title || '').trim().slice(0, 500) });
  };
  const soon = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, SETTLE_MS);
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    if (typeof original !== 'function') continue;
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      try {
        soon();
      } catch {
        /* never break the host page's navigation */
      }
      return result;
    };
  }
  window.addEventListener('popstate', soon);
  check();
}
