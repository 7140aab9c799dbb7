import type { ComponentChildren } from 'preact';
import { t } from '../i18n';

interface Props {
  /** Prefix of the test ids: `<id>-error`, `<id>-saved`, `<id>-discard`, `<id>-save`. */
  id: string;
  error: string | null;
  /** The last save succeeded and nothing changed since. */
  saved: boolean;
  savedText?: string;
  dirty: boolean;
  busy: boolean;
  /** Discard is also off while this is false (nothing loaded to go back to). */
  canDiscard?: boolean;
  onDiscard: () => void;
  saveLabel: string;
  /** More status, shown before the buttons. */
  children?: ComponentChildren;
}

/** The foot of every settings form: its error, "Saved", Discard changes and the submit button. */
export function SettingsFooter({ id, error, saved, savedText, dirty, busy, canDiscard = true, onDiscard, saveLabel, children }: Props) {
  return (
    <footer class="settings-foot">
      {error && (
        <p class="form-error" role="alert" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
      {saved && !dirty && !error && (
        <span class="saved" role="status" data-testid={`${id}-saved`}>
          {savedText ?? t('footer.saved')}
        </span>
      )}
      {children}
      <button type="button" class="btn btn-ghost" disabled={!dirty || busy || !canDiscard} onClick={onDiscard} data-testid={`${id}-discard`}>
        {t('footer.discard')}
      </button>
      <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid={`${id}-save`}>
        {busy ? t('footer.saving') : saveLabel}
      </button>
    </footer>
  );
}
