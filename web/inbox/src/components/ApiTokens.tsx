import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { errorText } from '../store';
import { zonedDateTime } from '../format';
import type { ApiToken } from '../types';
import { ConfirmDialog } from './ConfirmDialog';
import { t } from '../i18n';

/**
 * Admins: API tokens for servers that call the REST API (a CRM, a reporting job). A new
 * token's secret is shown once, right after it is made; the list shows each token's scopes,
 * prefix, last use, and lets the admin revoke it.
 */
export function ApiTokens({ zone }: { zone?: string | null }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [scopes, setScopes] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  async function load() {
    try {
      const res = await api.apiTokens();
      setTokens(res.tokens);
      setScopes(res.scopes);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function create(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSecret(null);
    try {
      const res = await api.createApiToken(name, chosen);
      setSecret(res.secret);
      setName('');
      setChosen([]);
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: ApiToken) {
    setBusy(true);
    setError(null);
    try {
      await api.revokeApiToken(token.id);
      await load();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  }

  const toggle = (scope: string) => setChosen((now) => (now.includes(scope) ? now.filter((s) => s !== scope) : [...now, scope]));

  return (
    <section class="card" data-testid="api-tokens">
      <h3>{t('apiTokens.title')}</h3>
      <p class="muted small">{t('apiTokens.hint')}</p>
      <form class="api-token-form" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>{t('apiTokens.name')}</span>
          <input class="text-input" value={name} maxLength={200} onInput={(e) => setName((e.target as HTMLInputElement).value)} data-testid="api-token-name" />
        </label>
        <fieldset>
          <legend>{t('apiTokens.scopes')}</legend>
          {scopes.map((scope) => (
            <label key={scope} class="check">
              <input type="checkbox" checked={chosen.includes(scope)} onChange={() => toggle(scope)} data-testid={`api-token-scope-${scope}`} />
              <code>{scope}</code> <span class="muted small">{t(`apiTokens.scope.${scope}`)}</span>
            </label>
          ))}
        </fieldset>
        <button class="btn btn-primary btn-sm" type="submit" disabled={busy || !name.trim() || chosen.length === 0} data-testid="api-token-create">
          {busy ? t('apiTokens.creating') : t('apiTokens.create')}
        </button>
      </form>
      {secret && (
        <div class="api-token-secret" role="status" data-testid="api-token-secret">
          <p>{t('apiTokens.showOnce')}</p>
          <code class="secret">{secret}</code>
        </div>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="api-token-error">
          {error}
        </p>
      )}
      {tokens && tokens.length === 0 && <p class="muted small">{t('apiTokens.none')}</p>}
      {tokens && tokens.length > 0 && (
        <table class="team-table api-token-list" data-testid="api-token-list">
          <thead>
            <tr>
              <th>{t('apiTokens.name')}</th>
              <th>{t('apiTokens.scopes')}</th>
              <th>{t('apiTokens.lastUsed')}</th>
              <th>
                <span class="sr-only">{t('apiTokens.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} data-testid="api-token-row" data-revoked={token.revoked_at ? 'true' : 'false'} data-last-used={token.last_used_at ?? ''}>
                <td>
                  {token.name}
                  <div class="muted small">
                    <code>{token.prefix}…</code>
                  </div>
                </td>
                <td>{token.scopes.join(', ')}</td>
                <td>{token.last_used_at ? zonedDateTime(token.last_used_at, zone) : t('apiTokens.never')}</td>
                <td>
                  {token.revoked_at ? (
                    <span class="muted small">{t('apiTokens.revoked')}</span>
                  ) : (
                    <button class="btn btn-sm" type="button" onClick={() => setRevoking(token)} data-testid="api-token-revoke">
                      {t('apiTokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <ConfirmDialog
          title={t('apiTokens.revokeTitle')}
          confirmLabel={t('apiTokens.revoke')}
          cancelLabel={t('apiTokens.keep')}
          danger
          busy={busy}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(null)}
          ids={{ dialog: 'api-token-revoke-dialog', confirm: 'api-token-revoke-confirm', cancel: 'api-token-revoke-cancel' }}
        >
          {t('apiTokens.confirmRevoke', { name: revoking.name })}
        </ConfirmDialog>
      )}
    </section>
  );
}
