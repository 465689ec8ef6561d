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
        <PasswordField id="pw-current" label="Current password" value={current} onChange={setCurrent} />
        <PasswordField id="pw-new" label="New password" value={next} onChange={setNext} isNew />
        <PasswordField id="pw-repeat" label="Repeat the new password" value={repeat} onChange={setRepeat} isNew />
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

/** `isNew`: a password being chosen (the browser offers to generate one, and it is held to 8 characters as the API holds it). */
function PasswordField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  isNew?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autoComplete={props.isNew ? 'new-password' : 'current-password'}
        minLength={props.isNew ? 8 : undefined}
        required
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}
