import { useEffect, useState } from 'preact/hooks';
import type { Summary } from '../types';
import { errorText } from '../store';
import { api } from '../api';
import { language, t } from '../i18n';

/** The server's limit on a reply, in UTF-8 bytes. */
const REPLY_MAX_BYTES = 10000;
const bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * The claimer's email to a missed chat's visitor: "Email transcript", or "Write a reply" (with
 * the transcript below it if wanted). Off, with the reason, while the visitor left no email or
 * no mail server is set up. Sent in the Inbox's language (the visitor's is not known).
 * The server decides who may (only the claimer); the sent email shows in the chat as an event.
 */
export function FollowupEmail({ conv }: { conv: Summary }) {
  const [configured, setConfigured] = useState<boolean | null>(null);
  const [writing, setWriting] = useState(false);
  const [reply, setReply] = useState('');
  const [withTranscript, setWithTranscript] = useState(false);
  const [busy, setBusy] = useState<'transcript' | 'reply' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.emailStatus().then(
      (r) => live && setConfigured(r.configured),
      () => live && setConfigured(false),
    );
    return () => {
      live = false;
    };
  }, []);

  const to = conv.visitor_email ?? null;
  const reason = !to ? t('followupEmail.noAddress') : configured === false ? t('followupEmail.notSetUp') : null;
  const off = configured !== true || !to;
  const over = bytes(reply.trim()) > REPLY_MAX_BYTES;

  async function send(kind: 'transcript' | 'reply') {
    if (busy) return;
    setBusy(kind);
    setError(null);
    setSent(null);
    try {
      await api.followupEmail(conv.id, kind === 'reply' ? { kind, body: reply.trim(), include_transcript: withTranscript, lang: language() } : { kind, lang: language() });
      setSent(kind === 'reply' ? t('followupEmail.replySent', { to: to ?? '' }) : t('followupEmail.transcriptSent', { to: to ?? '' }));
      if (kind === 'reply') {
        setReply('');
        setWriting(false);
      }
    } catch (err) {
      setError(t('followupEmail.failed', { error: errorText(err) }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="followup-email" data-testid="followup-email" data-enabled={off ? 'false' : 'true'}>
      <div class="followup-email-actions">
        <button type="button" class="btn btn-sm" disabled={off || busy !== null} onClick={() => void send('transcript')} data-testid="followup-email-transcript">
          {busy === 'transcript' ? t('followupEmail.sending') : t('followupEmail.transcript')}
        </button>
        <button type="button" class="btn btn-sm" disabled={off || busy !== null} aria-expanded={writing} onClick={() => setWriting(!writing)} data-testid="followup-email-write">
          {t('followupEmail.write')}
        </button>
        {reason && (
          <small class="muted" data-testid="followup-email-off">
            {reason}
          </small>
        )}
      </div>
      {writing && !off && (
        <div class="followup-email-reply">
          <label class="field">
            <span>{t('followupEmail.replyLabel', { to: to ?? '' })}</span>
            <textarea class="textarea" rows={5} value={reply} onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)} data-testid="followup-email-body" />
          </label>
          {over && <small class="form-error">{t('followupEmail.tooLong')}</small>}
          <label class="check">
            <input type="checkbox" checked={withTranscript} onChange={(e) => setWithTranscript((e.target as HTMLInputElement).checked)} data-testid="followup-email-with-transcript" />
            <span>{t('followupEmail.withTranscript')}</span>
          </label>
          <div class="followup-email-foot">
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setWriting(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" class="btn btn-primary btn-sm" disabled={!reply.trim() || over || busy !== null} onClick={() => void send('reply')} data-testid="followup-email-send">
              {busy === 'reply' ? t('followupEmail.sending') : t('composer.send')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="followup-email-error">
          {error}
        </p>
      )}
      {sent && (
        <p class="saved" role="status" data-testid="followup-email-sent">
          {sent}
        </p>
      )}
    </div>
  );
}
