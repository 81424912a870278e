/**
 * BuildAgent against a scripted AgentService over the in-memory router
 * transport: what it sends after a dropped stream, and when it stops.
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AgentService, type ConnectRequest, type ConnectResponseSchema } from "../gen/vieter/v1/agent_service_pb.js";
import { FailureStep, JobState } from "../gen/vieter/v1/job_service_pb.js";
import { AsyncQueue } from "../lib/async-queue.js";
import { BuildAgent } from "./agent.js";
import type { BuildExecutor, BuildOutcome } from "./executor.js";

type Response = MessageInitShape<typeof ConnectResponseSchema>;

/** The server's end of one Connect call. */
class ScriptedSession {
  private readonly inbox = new AsyncQueue<ConnectRequest>();
  private readonly received = this.inbox[Symbol.asyncIterator]();
  readonly outbox = new AsyncQueue<Response | Error>();

  constructor(requests: AsyncIterable<ConnectRequest>) {
    void (async () => {
      for await (const r of requests) this.inbox.push(r);
    })().catch(() => this.inbox.close());
  }

  /** The agent's next message; throws when its stream ended. */
  async receive(): Promise<ConnectRequest["message"]> {
    const r = await this.received.next();
    if (r.done) throw new Error("the agent's stream ended");
    return r.value.message;
  }

  welcome(): void {
    this.outbox.push({ message: { case: "welcome", value: { heartbeatIntervalSeconds: 60, leaseSeconds: 240 } } });
  }

  assign(jobId: number): void {
    this.outbox.push({
      message: {
        case: "assignment",
        value: { job: { id: BigInt(jobId), arch: "x86_64" }, spec: { kind: "git", url: "u", repo: "r" } },
      },
    });
  }

  ack(jobId: number, state: JobState, refusal = ""): void {
    this.outbox.push({ message: { case: "jobUpdateAck", value: { jobId: BigInt(jobId), state, refusal } } });
  }

  /** The connection breaks: the agent's stream fails, whatever it had in flight is gone. */
  drop(): void {
    this.outbox.push(new ConnectError("connection reset", Code.Unavailable));
  }
}

let stop: AbortController;
afterEach(() => stop.abort());

/**
 * Starts an agent with `executor` against a scripted server; `next` returns
 * the agent's next session, its Hello read.
 */
function startAgent(executor: BuildExecutor) {
  const sessions = new AsyncQueue<ScriptedSession>();
  const incoming = sessions[Symbol.asyncIterator]();
  const transport = createRouterTransport(({ service }) =>
    service(AgentService, {
      async *connect(requests) {
        const session = new ScriptedSession(requests);
        sessions.push(session);
        for await (const m of session.outbox) {
          if (m instanceof Error) throw m;
          yield m;
        }
      },
    }),
  );
  const agent = new BuildAgent({
    address: "http://server.invalid",
    token: "token",
    transport,
    arches: ["x86_64"],
    capacity: 2,
    version: "test",
    executor,
    logger: pino({ level: "silent" }),
    backoff: { initialMs: 1, maxMs: 2 },
  });
  stop = new AbortController();
  void agent.run(stop.signal);
  const next = async (): Promise<{ session: ScriptedSession; runningJobIds: number[] }> => {
    const session = (await incoming.next()).value as ScriptedSession;
    const hello = await session.receive();
    if (hello.case !== "hello") throw new Error(`expected a Hello, got ${hello.case}`);
    return { session, runningJobIds: hello.value.runningJobIds.map(Number) };
  };
  return { agent, next };
}

/** The next job update the agent sends in `session`, skipping other messages. */
async function nextUpdate(session: ScriptedSession) {
  for (;;) {
    const m = await session.receive();
    if (m.case === "jobUpdate") return { jobId: Number(m.value.jobId), state: m.value.state, cause: m.value.cause };
  }
}

const failed: BuildOutcome = {
  outcome: "failed",
  step: "build",
  exitCode: 2,
  message: "make failed",
  lastLines: ["error"],
  packages: [],
};

describe("BuildAgent final reports", () => {
  it("sends a final report again after the stream dropped before its acknowledgement, until acknowledged", async () => {
    const { next } = startAgent(async () => failed);
    const first = await next();
    first.session.welcome();
    first.session.assign(7);
    expect(await nextUpdate(first.session)).toMatchObject({ jobId: 7, state: JobState.RUNNING });
    const report = await nextUpdate(first.session);
    expect(report).toMatchObject({ jobId: 7, state: JobState.FAILED, cause: { step: FailureStep.BUILD, exitCode: 2 } });
    first.session.drop(); // right after the report was written: no acknowledgement

    const second = await next();
    expect(second.runningJobIds).toEqual([7]); // still the agent's job until acknowledged
    second.session.welcome();
    expect(await nextUpdate(second.session)).toEqual(report);
    second.session.ack(7, JobState.FAILED);
    second.session.drop();

    const third = await next();
    expect(third.runningJobIds).toEqual([]);
    third.session.welcome();
    third.session.assign(8);
    // A report sent again would come right after Welcome, before anything about job 8.
    expect(await nextUpdate(third.session)).toMatchObject({ jobId: 8, state: JobState.RUNNING });
  });

  it("sends the report of a build that ended while disconnected once it is back", async () => {
    let finish!: (o: BuildOutcome) => void;
    const { next } = startAgent(() => new Promise((resolve) => (finish = resolve)));
    const first = await next();
    first.session.welcome();
    first.session.assign(3);
    await nextUpdate(first.session); // RUNNING
    first.session.drop();
    const second = await next();
    expect(second.runningJobIds).toEqual([3]);
    finish({ outcome: "skipped", message: "already there", lastLines: [], packages: [] });
    second.session.welcome();
    expect(await nextUpdate(second.session)).toMatchObject({ jobId: 3, state: JobState.SKIPPED });
  });

  it("forgets a report the server refuses for good", async () => {
    const { next } = startAgent(async () => failed);
    const first = await next();
    first.session.welcome();
    first.session.assign(5);
    await nextUpdate(first.session); // RUNNING
    await nextUpdate(first.session); // FAILED
    first.session.ack(5, JobState.UNSPECIFIED, "job 5 is not held by agent a");
    first.session.drop();
    const second = await next();
    expect(second.runningJobIds).toEqual([]);
  });
});
