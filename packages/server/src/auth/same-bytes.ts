/**
 * Compares two byte strings in time that depends only on their lengths, so a secret (the
 * trigger token) cannot be guessed byte by byte from response times.
 * @example
 * sameBytes(new TextEncoder().encode(given), expected); // true only when equal
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i % Math.max(a.length, 1)] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}
