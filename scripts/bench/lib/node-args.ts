/** Node options for a bench's server processes alone, from BENCH_SERVER_NODE_ARGS (space-separated). */
export function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
}
