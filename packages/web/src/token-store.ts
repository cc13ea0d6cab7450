/**
 * Keeps the trigger token for this tab only: `sessionStorage` when the browser allows it,
 * memory otherwise. Never `localStorage`, never a cookie.
 */

const KEY = "events.triggerToken";

/** The token for `Authorization: Bearer`, per tab. */
export class TokenStore {
  #memory = "";
  readonly #storage: Storage | undefined;

  /** @example const tokens = new TokenStore(globalThis.sessionStorage) */
  constructor(storage?: Storage) {
    this.#storage = storage;
    try {
      this.#memory = storage?.getItem(KEY) ?? "";
    } catch {
      // Storage can throw (blocked by privacy settings): the token then lives in memory only.
      this.#storage = undefined;
    }
  }

  /** The saved token, `""` when none. */
  get(): string {
    return this.#memory;
  }

  /** Saves (or, with `""`, forgets) the token. */
  set(token: string): void {
    this.#memory = token;
    try {
      if (token) this.#storage?.setItem(KEY, token);
      else this.#storage?.removeItem(KEY);
    } catch {
      // Quota or privacy errors: memory still holds it for this page.
    }
  }
}
