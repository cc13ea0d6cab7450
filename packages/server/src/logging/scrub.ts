/**
 * Removes secrets from text bound for a log line: the exact strings the server knows are
 * secret (its trigger token), and anything shaped like one (a Bearer credential, a JWT, a
 * `token=`-like parameter, a URL's password), whatever produced the text.
 */

/** What replaces a secret. */
export const REDACTED = "[redacted]";

/** `Bearer <credential>`, case-insensitive (`Authorization: Bearer ...` in an error message). */
const BEARER = /\b(bearer|basic)\s+[^\s"',;]+/gi;
/** Three base64url parts, the first starting as a JSON object does: a JWT. */
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
/** `name=value` or `name: value` for names that carry credentials, in a query string, a cookie or a message. */
const NAMED = /\b((?:access[_-]?|refresh[_-]?|id[_-]?)?token|api[_-]?key|apikey|password|passwd|secret|session(?:id)?|sid|jwt|auth|authorization|cookie)(\s*[=:]\s*)("?)(?!(?:bearer|basic)\s)[^\s"&;,]+/gi;
/** The password of a URL's userinfo: `redis://user:password@host`. */
const USERINFO = /(\/\/[^\s/:@]*:)[^\s/@]+@/g;
/** A cheap first look: most lines (a path, a status) hold nothing to scrub. */
const SUSPECT = /bearer|basic|eyJ|token|key|pass|secret|session|sid|jwt|auth|cookie|:\/\//i;

/**
 * Builds a scrubber for these exact secrets (empty, `false` and `undefined` entries are
 * ignored) plus the shapes above.
 * @example
 * const scrub = createSecretScrubber(["s3cret"]);
 * scrub("got s3cret at /x?access_token=abc"); // "got [redacted] at /x?access_token=[redacted]"
 */
export function createSecretScrubber(secrets: readonly (string | false | undefined)[]): (text: string) => string {
  const exact = secrets.filter((secret): secret is string => typeof secret === "string" && secret !== "");
  return (text) => {
    let out = text;
    for (const secret of exact) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    if (!SUSPECT.test(out)) return out;
    return out
      .replace(USERINFO, `$1${REDACTED}@`)
      .replace(BEARER, `$1 ${REDACTED}`)
      .replace(JWT, REDACTED)
      .replace(NAMED, `$1$2$3${REDACTED}`);
  };
}
