import type { Store } from '../store';
import { t } from '../i18n';

/**
 * "‹ Back" (to the conversations, or to the chat): the one-pane layout's way back (phones;
 * styles.css shows it only there). The browser's own Back does the same (store.back,
 * store.routeFromLocation). Short on purpose: the visitor's name shares the row.
 */
export function BackButton({ store, label }: { store: Store; label: string }) {
  return (
    <button type="button" class="btn btn-ghost btn-sm back-btn" onClick={() => store.back()} aria-label={t('back.label', { where: label.toLowerCase() })} data-testid="pane-back">
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
        <path d="m15 18-6-6 6-6" />
      </svg>
      {t('back.button')}
    </button>
  );
}
