/**
 * Waits for `promise` (settled either way) for at most `ms`: true when it settled in time.
 * Shutdown steps use it so a stuck broker or socket cannot hold the process past its deadline.
 */
export function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true, () => true), timeout]).finally(() => clearTimeout(timer));
}
