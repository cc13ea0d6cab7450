/**
 * Keeps a token for this tab only: `sessionStorage` when the browser allows it, memory
 * otherwise. Never `localStorage`, never a cookie. The trigger token and the page's Token
 * field (a JWT) each have one, under their own key.
 */

/** The key of the trigger token (the one the page always had). */
export const TRIGGER_TOKEN_KEY = "events.triggerToken";

/** The key of the Token field's JWT. */
export const STREAM_TOKEN_KEY = "events.token";

/** A token for `Authorization: Bearer` (or `?access_token=`), per tab. */
export class TokenStore {
  #memory = "";
  readonly #storage: Storage | undefined;
  readonly #key: string;

  /**
   * @param key the `sessionStorage` key @default "events.triggerToken"
   * @example const tokens = new TokenStore(globalThis.sessionStorage)
   */
  constructor(storage?: Storage, key: string = TRIGGER_TOKEN_KEY) {
    this.#storage = storage;
    this.#key = key;
    try {
      this.#memory = storage?.getItem(key) ?? "";
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
      if (token) this.#storage?.setItem(this.#key, token);
      else this.#storage?.removeItem(this.#key);
    } catch {
      // Quota or privacy errors: memory still holds it for this page.
    }
  }
}
