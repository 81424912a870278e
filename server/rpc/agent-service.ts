/**
 * AgentService: the Connect adapter of the agent protocol. It turns the bidi
 * stream into calls on the AgentHub and the hub's outgoing messages into
 * ConnectResponses; ListAgents and DrainAgent are admin calls.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type Agent,
  AgentSchema,
  type AgentService,
  type ConnectRequest,
  type ConnectResponse,
} from "../../gen/vieter/v1/agent_service_pb.js";
import { type FailureCause as CauseMessage, FailureStep, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { DomainError, InvalidArgumentError, PermissionDeniedError } from "../../lib/errors.js";
import type { AgentHub, AgentInfo } from "../agents/hub.js";
import type { AgentSession, ToAgent } from "../agents/session.js";
import type { AppContext } from "../context.js";
import type { FailureCause, FailureStep as Step, JobOutcome } from "../jobs/index.js";
import { callPrincipal } from "./context-values.js";
import { toJobMessage, toJobStateEnum } from "./job-messages.js";

const OUTCOMES = new Map<JobState, "running" | JobOutcome>([
  [JobState.RUNNING, "running"],
  [JobState.SUCCEEDED, "succeeded"],
  [JobState.FAILED, "failed"],
  [JobState.SKIPPED, "skipped"],
  [JobState.TIMED_OUT, "timed_out"],
  [JobState.CANCELLED, "cancelled"],
]);

const STEPS = new Map<FailureStep, Step>([
  [FailureStep.IMAGE, "image"],
  [FailureStep.FETCH, "fetch"],
  [FailureStep.PREPARE, "prepare"],
  [FailureStep.VERSION_CHECK, "version_check"],
  [FailureStep.BUILD, "build"],
  [FailureStep.PUBLISH, "publish"],
  [FailureStep.TIMEOUT, "timeout"],
  [FailureStep.INFRASTRUCTURE, "infrastructure"],
]);

/** The AgentService implementation over the context's hub. */
export function createAgentService(ctx: AppContext): ServiceImpl<typeof AgentService> {
  const hub = ctx.agents;
  return {
    async *connect(requests, call) {
      const principal = callPrincipal(call);
      if (principal?.kind !== "agent") throw new PermissionDeniedError("Connect needs an agent token");
      const iterator = requests[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done || first.value.message.case !== "hello") {
        throw new InvalidArgumentError("message", "the first message on Connect must be a Hello");
      }
      const hello = first.value.message.value;
      if (hello.name !== "" && hello.name !== principal.tokenName) {
        throw new PermissionDeniedError(`this token belongs to agent ${principal.tokenName}, not ${hello.name}`);
      }
      const session = await hub.connect(principal.tokenName, {
        arches: hello.arches,
        capacity: hello.capacity,
        version: hello.version,
        protocolVersion: hello.protocolVersion,
        runningJobIds: hello.runningJobIds.map(Number),
      });
      const reading = readRequests(hub, session, iterator, ctx).finally(() => hub.disconnect(session));
      try {
        for await (const message of session.outbox) yield toResponse(message);
      } finally {
        hub.disconnect(session);
      }
      await reading;
    },
    async listAgents() {
      return { agents: hub.list().map(toAgentMessage) };
    },
    async drainAgent(req) {
      return { agent: toAgentMessage(hub.drain(req.name, req.draining)) };
    },
  };
}

/**
 * Applies the agent's messages until its stream ends. A refused report (e.g.
 * on a job the agent does not hold) is logged and skipped; it ends nothing
 * else. Anything unexpected ends the session.
 */
async function readRequests(
  hub: AgentHub,
  session: AgentSession,
  requests: AsyncIterator<ConnectRequest>,
  ctx: AppContext,
): Promise<void> {
  try {
    for (let r = await requests.next(); !r.done; r = await requests.next()) {
      try {
        const request = r.value;
        await hub.apply(() => applyMessage(hub, session, request));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        ctx.logger.warn({ agent: session.name, err: err.message }, "refused an agent message");
      }
    }
  } catch (err) {
    ctx.logger.warn({ err, agent: session.name }, "agent stream ended with an error");
  }
}

async function applyMessage(hub: AgentHub, session: AgentSession, request: ConnectRequest): Promise<void> {
  const m = request.message;
  if (m.case === "heartbeat") return hub.heartbeat(session, m.value.jobIds.map(Number));
  if (m.case === "logChunk") return hub.log(session, Number(m.value.jobId), m.value.data);
  if (m.case === "jobUpdate") {
    const outcome = OUTCOMES.get(m.value.state);
    if (!outcome) throw new InvalidArgumentError("state", `${JobState[m.value.state]} is not a state an agent reports`);
    return hub.report(session, Number(m.value.jobId), outcome, toCause(m.value.cause, m.value.message));
  }
  throw new InvalidArgumentError("message", `unexpected ${m.case ?? "empty"} message after Hello`);
}

function toCause(cause: CauseMessage | undefined, message: string): FailureCause | undefined {
  if (!cause && message === "") return undefined;
  return {
    step: cause ? STEPS.get(cause.step) : undefined,
    exitCode: cause?.exitCode,
    message: cause?.message || message,
    lastLines: cause?.lastLines ?? [],
    transient: cause?.transient ?? false,
  };
}

function toResponse(message: ToAgent): ConnectResponse {
  switch (message.kind) {
    case "welcome":
      return {
        $typeName: "vieter.v1.ConnectResponse",
        message: {
          case: "welcome",
          value: {
            $typeName: "vieter.v1.Welcome",
            heartbeatIntervalSeconds: message.heartbeatSeconds,
            leaseSeconds: message.leaseSeconds,
            serverVersion: process.env.npm_package_version ?? "0.7.0",
          },
        },
      };
    case "assign":
      return {
        $typeName: "vieter.v1.ConnectResponse",
        message: {
          case: "assignment",
          value: {
            $typeName: "vieter.v1.JobAssignment",
            job: toJobMessage(message.job),
            spec: { $typeName: "vieter.v1.BuildSpec", ...message.spec },
            leaseExpireTime: timestampFromDate(message.leaseExpiresAt),
          },
        },
      };
    case "ack":
      return {
        $typeName: "vieter.v1.ConnectResponse",
        message: {
          case: "jobUpdateAck",
          value: {
            $typeName: "vieter.v1.JobUpdateAck",
            jobId: BigInt(message.jobId),
            state: message.state ? toJobStateEnum(message.state) : JobState.UNSPECIFIED,
            refusal: message.refusal,
          },
        },
      };
    case "cancel":
      return {
        $typeName: "vieter.v1.ConnectResponse",
        message: {
          case: "cancel",
          value: { $typeName: "vieter.v1.CancelJob", jobId: BigInt(message.jobId), reason: message.reason },
        },
      };
  }
}

function toAgentMessage(a: AgentInfo): Agent {
  return create(AgentSchema, {
    name: a.name,
    arches: [...a.arches],
    capacity: a.capacity,
    runningJobIds: a.runningJobIds.map(BigInt),
    lastSeenTime: timestampFromDate(a.lastSeen),
    version: a.version,
    draining: a.draining,
    connected: a.connected,
  });
}
