import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

interface Props {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  /** The confirm button is red (the action cannot be undone). */
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Test ids: the dialog, its confirm and its cancel button. */
  ids: { dialog: string; confirm: string; cancel: string };
}

/**
 * A question that must be answered before anything else: a modal <dialog> (the page behind is
 * inert, Tab stays inside, Esc cancels; the focus goes back where it was afterwards).
 * The safe answer has the focus, so Enter or Space never does the irreversible thing by accident.
 */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel, danger, busy, onConfirm, onCancel, ids }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = ref.current;
    const before = document.activeElement as HTMLElement | null;
    if (d && !d.open) {
      try {
        d.showModal();
      } catch {
        d.setAttribute('open', '');
      }
    }
    cancel.current?.focus();
    return () => {
      if (d?.open) d.close();
      // Back to the control that asked (End session), once the dialog has left the page.
      window.setTimeout(() => {
        if (before?.isConnected && (!document.activeElement || document.activeElement === document.body)) before.focus();
      }, 0);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby={`${ids.dialog}-title`}
      aria-describedby={`${ids.dialog}-text`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid={ids.dialog}
    >
      <h2 id={`${ids.dialog}-title`}>{title}</h2>
      <p id={`${ids.dialog}-text`}>{children}</p>
      <div class="confirm-actions">
        <button ref={cancel} type="button" class="btn" disabled={busy} onClick={onCancel} data-testid={ids.cancel}>
          {cancelLabel}
        </button>
        <button type="button" class={`btn ${danger ? 'btn-danger-solid' : 'btn-primary'}`} disabled={busy} onClick={onConfirm} data-testid={ids.confirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** "Leave without saving?": a page with unsaved changes was about to be left (store.navigate, logout). */
export function ConfirmLeave({ onLeave, onStay }: { onLeave: () => void; onStay: () => void }) {
  return (
    <ConfirmDialog
      title={t('leave.title')}
      confirmLabel={t('leave.confirm')}
      cancelLabel={t('leave.stay')}
      danger
      onConfirm={onLeave}
      onCancel={onStay}
      ids={{ dialog: 'leave-dialog', confirm: 'leave-confirm', cancel: 'leave-stay' }}
    >
      {t('leave.text')}
    </ConfirmDialog>
  );
}
