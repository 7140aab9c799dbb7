import type { Notice, Store } from '../store';
import { t } from '../i18n';

export function Notices({ store, notices }: { store: Store; notices: Notice[] }) {
  if (!notices.length) return null;
  return (
    <div class="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} class={`notice notice-${n.kind}`} data-testid="notice">
          <span>{n.text}</span>
          <button type="button" class="icon-btn" aria-label={t('common.dismiss')} onClick={() => store.dismissNotice(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
