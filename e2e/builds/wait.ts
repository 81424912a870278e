/** Polling for conditions the build tests cannot be told about. */

/** Resolves once `check` holds; after `ms` throws naming `what` (and `detail()`, when given). */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  options: { ms?: number; detail?: () => string } = {},
): Promise<void> {
  const end = Date.now() + (options.ms ?? 120_000);
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached${options.detail ? `; ${options.detail()}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
