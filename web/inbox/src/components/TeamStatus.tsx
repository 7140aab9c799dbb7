import type { State, Store } from '../store';
import { availabilityText, effectiveStatus, initials } from '../format';
import { useNow } from '../hooks';
import { LoadFailed } from './LoadState';

/** Admins: every agent and their live status (GET /agents, then `agent.status` frames). */
export function TeamStatus({ store, state }: { store: Store; state: State }) {
  const now = useNow(60_000);
  const team = state.team;
  const agents = team ? Object.values(team).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id) : [];
  const availableCount = agents.filter((a) => effectiveStatus(a).available).length;

  return (
    <div class="settings-form">
      <header class="settings-head">
        <div>
          <h2>Team status</h2>
          <p class="muted">Live: a change of schedule, toggle or settings shows up here as it happens.</p>
        </div>
        {team && (
          <span class="team-count" data-testid="team-count">
            <strong>{availableCount}</strong> of {agents.length} available
          </span>
        )}
      </header>
      <section class="card card-flush">
        {state.teamError && <LoadFailed error={state.teamError} onRetry={() => store.loadTeam()} testid="team-error" />}
        {!team && !state.teamError && <div class="list-loading">Loading the team…</div>}
        {team && (
          <table class="team-table" data-testid="team-table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Time zone</th>
                <th scope="col" class="num">
                  Max chats
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => {
                const st = effectiveStatus(a);
                const { label, reason } = availabilityText(a, now);
                return (
                  <tr key={a.id} data-testid="team-row" data-agent-id={a.id} data-state={st.available ? 'available' : 'unavailable'}>
                    <td>
                      <div class="team-agent">
                        <span class={`avatar ${st.available ? 'avatar-live' : ''}`}>{initials(a.name)}</span>
                        <div>
                          <div class="team-name">
                            {a.name}
                            {a.role === 'admin' && <span class="role-tag">Admin</span>}
                            {a.id === state.me?.id && <span class="muted small"> (you)</span>}
                          </div>
                          <div class="muted small">{a.email}</div>
                        </div>
                      </div>
                    </td>
                    <td data-testid="team-status">
                      <span class={`status ${st.available ? 'status-active' : ''}`}>{label}</span>
                      <span class="muted small team-reason">{reason.replace(/^ — /, '')}</span>
                    </td>
                    <td class="muted">{(a.time_zone ?? '-').replace(/_/g, ' ')}</td>
                    <td class="num">{a.max_chats}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
