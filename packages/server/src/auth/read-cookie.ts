/**
 * One cookie's value from a `Cookie` request header (RFC 6265 §5.4: `name=value` pairs
 * separated by `; `), without a library.
 */

/**
 * The value of the first cookie called `name`, its surrounding double quotes removed (RFC 6265
 * §4.1.1 allows them); `undefined` when there is none or it is empty (a cleared cookie).
 * The first wins: a browser sends the most specific path's cookie first.
 * @example
 * readCookie("theme=dark; events_token=eyJ...; events_token=old", "events_token"); // "eyJ..."
 */
export function readCookie(header: string | null, name: string): string | undefined {
  if (header === null) return undefined;
  for (const pair of header.split(";")) {
    const equals = pair.indexOf("=");
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value === "" ? undefined : value;
  }
  return undefined;
}
