import { useState, type FormEvent } from 'react';
import { GraphQLRequestError, type GraphQLFetch } from '../api/graphql-client.ts';
import { LOGIN_MUTATION, type Session } from '../api/session.ts';
import { ErrorNotice } from '../components/error-notice.tsx';

interface LoginAnswer {
  login: { token: string; user: { username: string; roles: string[] } };
}

/** Logs in through the graph's `login` mutation, the same one GraphiQL and every client use. */
export function LoginPage({ request, onLogin }: { request: GraphQLFetch; onLogin: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { login } = await request<LoginAnswer>(LOGIN_MUTATION, { username, password });
      onLogin({ token: login.token, username: login.user.username, roles: login.user.roles });
    } catch (caught) {
      setError(caught instanceof GraphQLRequestError ? caught : new GraphQLRequestError(String(caught), 'NETWORK_ERROR', undefined));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-label="Log in">
        <h1>Simpul console</h1>
        <p className="muted">For operators: traces, service health, events and agency traffic.</p>
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {error && <ErrorNotice error={error} />}
        <p className="muted small">
          Demo platform: the account <code>operator</code> has the role OPERATOR (the demo password).
        </p>
      </form>
    </main>
  );
}
