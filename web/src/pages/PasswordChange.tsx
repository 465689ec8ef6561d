import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, call, errorMessage } from '../api/client';
import { session } from '../api/session';

/**
 * The signed-in member's own password (PUT /api/v1/members/me/password). Every other session of theirs
 * ends; this tab keeps working on the token the change returns.
 */
export function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      call(api.PUT('/api/v1/members/me/password', { body: { current_password: current, password: next } })),
    onSuccess: (result) => {
      session.signIn(result.token);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    },
  });
  const mismatch = repeat !== '' && repeat !== next;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setDone(false);
    save.mutate();
  };
  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title" style={{ marginTop: 0 }}>
        Your password
      </h2>
      <form onSubmit={submit} aria-label="Change your password">
        <div className="field">
          <label htmlFor="pw-current">Current password</label>
          <input
            id="pw-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="pw-new">New password</label>
          <input
            id="pw-new"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="pw-repeat">Repeat the new password</label>
          <input
            id="pw-repeat"
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </div>
        <p className="hint">Changing it signs you out everywhere else, API tokens included.</p>
        <div className="row">
          <button type="submit" disabled={save.isPending || mismatch}>
            Change password
          </button>
        </div>
      </form>
      {mismatch && (
        <div className="error" role="alert">
          The two new passwords differ.
        </div>
      )}
      {save.isError && (
        <div className="error" role="alert">
          {errorMessage(save.error)}
        </div>
      )}
      {done && <p role="status">Password changed. Your other sessions have ended.</p>}
    </section>
  );
}
