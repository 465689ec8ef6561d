const KEY = 'cloakradar.token';
const listeners = new Set<() => void>();
let notice: string | null = null;

function emit() {
  for (const listener of listeners) listener();
}

/** The API token lives in sessionStorage: gone with the tab, never in a cookie the tracker could see. */
export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn(token: string) {
    sessionStorage.setItem(KEY, token);
    notice = null;
    emit();
  },
  signOut(message: string | null = null) {
    if (sessionStorage.getItem(KEY) === null) return;
    sessionStorage.removeItem(KEY);
    notice = message;
    emit();
  },
  /** Why the user was signed out, shown once on the sign-in page. */
  takeNotice(): string | null {
    const current = notice;
    notice = null;
    return current;
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
