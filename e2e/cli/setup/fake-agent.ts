/**
 * A real BuildAgent in-process with a fake build executor standing in for the
 * container, so CLI tests get jobs that run, end and leave logs without Podman.
 * What a build does depends on its target's URL:
 *   …/ok.git     prints two lines, waits for `release(jobId)`, succeeds
 *   …/fail.git   prints two lines, waits for `release(jobId)`, fails in makepkg with exit code 1
 *   anything else ends at once as skipped
 */
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { BuildAgent } from "../../../agent/agent.js";
import type { BuildExecutor, BuildOutcome } from "../../../agent/executor.js";

/** The agent's name and token, for the server's agent_tokens. */
export const FAKE_AGENT = { name: "cli-agent", token: "cli-agent-token-0123456789" } as const;

/** A running fake agent. */
export interface FakeAgent {
  /** Lets the build of `jobId` finish (before or after it started). */
  release(jobId: number): void;
  /** Disconnects the agent. */
  stop(): void;
}

/** Starts the agent against `baseUrl` (the server must know {@link FAKE_AGENT}'s token). */
export function startFakeAgent(baseUrl: string): FakeAgent {
  const gates = new Map<number, { open: () => void; opened: Promise<void> }>();
  const gate = (jobId: number) => {
    let entry = gates.get(jobId);
    if (!entry) {
      let open!: () => void;
      const opened = new Promise<void>((r) => (open = r));
      entry = { open, opened };
      gates.set(jobId, entry);
    }
    return entry;
  };
  const executor: BuildExecutor = async (req): Promise<BuildOutcome> => {
    const failing = req.url.endsWith("/fail.git");
    if (!failing && !req.url.endsWith("/ok.git")) {
      return { outcome: "skipped", message: "already published", lastLines: [], packages: [] };
    }
    const say = (text: string) => req.onOutput(Buffer.from(text));
    say(`==> Making package for job ${req.jobId}\n`);
    await Promise.race([gate(req.jobId).opened, new Promise((r) => req.signal.addEventListener("abort", r))]);
    if (req.signal.aborted) return { outcome: "cancelled", message: "cancelled", lastLines: [], packages: [] };
    if (!failing) {
      say("==> Finished making package\n");
      return { outcome: "succeeded", exitCode: 0, message: "", lastLines: [], packages: [] };
    }
    say("error: boom\n");
    return {
      outcome: "failed",
      exitCode: 1,
      step: "build",
      message: "makepkg exited with 1",
      lastLines: ["error: boom"],
      packages: [],
    };
  };
  const agent = new BuildAgent({
    address: baseUrl,
    token: FAKE_AGENT.token,
    transport: createGrpcTransport({ baseUrl }),
    arches: ["x86_64", "aarch64"],
    capacity: 4,
    version: "test",
    executor,
    logger: pino({ level: "silent" }),
    backoff: { initialMs: 50, maxMs: 500 },
  });
  const controller = new AbortController();
  void agent.run(controller.signal);
  return { release: (jobId) => gate(jobId).open(), stop: () => controller.abort() };
}
