import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, call, errorMessage } from '../api/client';
import { session } from '../api/session';

export function SignIn({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice] = useState(() => session.takeNotice());
  const [busy, setBusy] = useState(false);
  const isSignUp = mode === 'sign-up';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = isSignUp
        ? await call(api.POST('/api/v1/auth/register', { body: { email, password } }))
        : await call(api.POST('/api/v1/auth/token', { body: { email, password } }));
      session.signIn(result.token);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <h1>{isSignUp ? 'Create your CloakRadar account' : 'Sign in to CloakRadar'}</h1>
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      <form className="panel" onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password {isSignUp && <span className="hint">(at least 8 characters)</span>}</label>
          <input
            id="password"
            type="password"
            autoComplete={isSignUp ? 'new-password' : 'current-password'}
            required
            minLength={isSignUp ? 8 : 1}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Please wait…' : isSignUp ? 'Create account' : 'Sign in'}
        </button>
      </form>
      <p>
        {isSignUp ? (
          <>
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/sign-up">Create an account</Link>
          </>
        )}
      </p>
    </main>
  );
}
