import { t } from '../i18n';

/** A load that failed: the message and a "Try again" button. */
export function LoadFailed({ error, onRetry, testid }: { error: string; onRetry: () => void; testid?: string }) {
  return (
    <div class="empty">
      <p class="form-error" data-testid={testid}>
        {error}
      </p>
      <button type="button" class="btn btn-sm" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </div>
  );
}

/** A settings card shown until its data is there: "Loading…", or the load error with a retry. */
export function LoadingCard({ error, onRetry, errorTestId, text }: { error: string | null; onRetry: () => void; errorTestId: string; text: string }) {
  return <section class="card">{error ? <LoadFailed error={error} onRetry={onRetry} testid={errorTestId} /> : <div class="list-loading">{text}</div>}</section>;
}
