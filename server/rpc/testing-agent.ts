/** A scripted agent for service tests: its end of AgentService.Connect over the in-memory router. */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AgentService, type ConnectRequestSchema, type ConnectResponse } from "../../gen/vieter/v1/agent_service_pb.js";
import { type FailureCauseSchema, type Job, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { PROTOCOL_VERSION } from "../../lib/agent-protocol.js";
import { AsyncQueue } from "../../lib/async-queue.js";
import type { AppContext } from "../context.js";
import { routerClient } from "./testing.js";

/** A message an agent sends. */
export type AgentRequest = MessageInitShape<typeof ConnectRequestSchema>;

/** What a test does with its agent. */
export interface ScriptedAgent {
  send(m: AgentRequest): void;
  /** The next message the server pushed; throws when the stream ended. */
  next(): Promise<ConnectResponse>;
  /** The next message other than an acknowledgement, which must be an assignment; returns its job. */
  nextJob(): Promise<Job>;
  /** The next message of kind `kind`, skipping others. */
  nextOf<K extends NonNullable<ConnectResponse["message"]["case"]>>(
    kind: K,
  ): Promise<Extract<ConnectResponse["message"], { case: K }>["value"]>;
  /** Reports a job failed with `cause`. */
  fail(jobId: bigint, cause: MessageInitShape<typeof FailureCauseSchema>): void;
  end(): void;
}

/** Opens Connect as agent `name` (token `token`) with a Hello for x86_64. */
export function openAgent(
  ctx: AppContext,
  name: string,
  token: string,
  hello: { capacity?: number; protocolVersion?: number; runningJobIds?: bigint[] } = {},
): ScriptedAgent {
  const outgoing = new AsyncQueue<AgentRequest>();
  outgoing.push({
    message: {
      case: "hello",
      value: { name, arches: ["x86_64"], capacity: 1, version: "test", protocolVersion: PROTOCOL_VERSION, ...hello },
    },
  });
  const stream = routerClient(ctx, AgentService, token).connect(outgoing)[Symbol.asyncIterator]();
  const next = async (): Promise<ConnectResponse> => {
    const r = await stream.next();
    if (r.done) throw new Error("stream ended");
    return r.value;
  };
  return {
    send: (m) => outgoing.push(m),
    next,
    async nextJob() {
      let m = (await next()).message;
      // Acknowledgements of the agent's own reports may come first.
      while (m.case === "jobUpdateAck") m = (await next()).message;
      if (m.case !== "assignment") throw new Error(`expected an assignment, got ${m.case}`);
      return m.value.job!;
    },
    async nextOf(kind) {
      for (;;) {
        const m = (await next()).message;
        if (m.case === kind) return m.value as never;
      }
    },
    fail(jobId, cause) {
      outgoing.push({ message: { case: "jobUpdate", value: { jobId, state: JobState.FAILED, cause } } });
    },
    end: () => outgoing.close(),
  };
}
