import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, call, errorMessage } from '../api/client';

/** The invitation link's page: the token rides in the fragment, which no request ever carries to a server log. */
export function AcceptInvitation() {
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call(api.POST('/api/v1/members/accept', { body: { token, password } }));
      setEmail(result.data.email);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (email) {
    return (
      <main className="auth">
        <h1>Welcome aboard</h1>
        <p role="status">
          Your password is set. <Link href="/sign-in">Sign in</Link> as {email}.
        </p>
      </main>
    );
  }
  return (
    <main className="auth">
      <h1>Accept your invitation</h1>
      {!token && (
        <div className="error" role="alert">
          This link carries no invitation: open the whole link you were sent.
        </div>
      )}
      <form className="panel" onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor="password">
            Choose a password <span className="hint">(at least 8 characters)</span>
          </label>
          <input
            id="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" disabled={busy || !token}>
          {busy ? 'Please wait…' : 'Set password'}
        </button>
      </form>
    </main>
  );
}
