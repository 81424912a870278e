/**
 * The agent protocol in words; the messages are AgentService.Connect in
 * proto/vieter/v1/agent_service.proto. Server (server/agents) and agent
 * (agent/) both follow this text.
 *
 * 1. Identity. An agent authenticates with its own agent token (config
 *    `agent_tokens` on the server: "name:token"); the token's name *is* the
 *    agent's name. The admin API key cannot open Connect, and an agent token
 *    can do nothing but Connect and publish packages.
 * 2. Hello. The agent opens Connect (bidi, HTTP/2) and sends Hello first:
 *    arches, capacity (concurrent build slots), software version,
 *    PROTOCOL_VERSION, and the ids of builds it is still running from before a
 *    reconnect. A different protocol version ends the stream with
 *    FailedPrecondition naming both versions. Hello.name, when set, must equal
 *    the token's name. The server answers Welcome (heartbeat interval, lease).
 * 3. Push. While the agent has a free slot for one of its arches and is not
 *    draining, the server sends JobAssignment messages; no polling. Never more
 *    assignments than free slots; a job goes to one agent only, and two jobs
 *    of one target×arch never run at once (the queue's claim guarantees it).
 * 4. Leases. Each assignment carries a lease. The agent sends Heartbeat with
 *    the ids of every job it holds at least every heartbeat interval; each
 *    renews those leases. A job whose lease runs out becomes LOST (cause
 *    agent_lost) and is re-queued, up to the server's max_lost_requeues per
 *    retry chain; after that it ends FAILED with cause agent_lost.
 * 5. Progress. JobUpdate RUNNING when the container starts, then exactly one
 *    final state: SUCCEEDED (packages published by the agent with its token),
 *    SKIPPED (version already in the repo, message says which), FAILED (cause:
 *    step, exit code, last lines), TIMED_OUT, or CANCELLED. A failure may be
 *    transient: step INFRASTRUCTURE (the container engine failed), or
 *    PUBLISH with cause.transient set by the agent (connection error or 5xx).
 *    The server queues a retry of those (reason retry, attempt + 1) while
 *    the chain was retried for them fewer than its max_transient_retries;
 *    other causes are deterministic and never retried. Only the agent
 *    holding a job may report on it; reports on other jobs are refused and
 *    end nothing else. LogChunk carries build output in order, batched by the
 *    agent (flush at ≤ 1 s or ≤ 1 MiB).
 *    The server answers every final report with JobUpdateAck: taken (now or
 *    before: a report sent twice is answered like the first time), or refused
 *    for good (refusal says why). The agent keeps each final report until it
 *    is acknowledged; an error that is not the report's fault (the database)
 *    ends the session unanswered, and the agent sends it again.
 * 6. Cancel. The server sends CancelJob for a job the agent holds; the agent
 *    kills and removes the container and reports CANCELLED. A cancel while
 *    publishing stops it, the upload under way included, and is CANCELLED
 *    too: packages already published stay in the repository (no undo), and
 *    the log says which were and which were not.
 * 7. Disconnect. When the stream drops, the agent's jobs keep their leases;
 *    the agent reconnects with exponential backoff and jitter, sends Hello with
 *    the jobs it still runs and those whose final report is not acknowledged,
 *    and the server keeps those (renewing their leases) instead of
 *    dispatching them again. Right after Welcome the agent sends the build
 *    output (bounded) it kept while disconnected, then every unacknowledged
 *    final report; the server takes them, since the job's row still names the
 *    agent. A RUNNING update lost with the stream is not sent again: a final
 *    report on a job still DISPATCHED counts as started, then ended.
 * 8. Liveness. HTTP/2 PING frames, sent by both sides while the stream is
 *    open (agent: AGENT_KEEPALIVE, server: server/net/keepalive.ts), notice a
 *    dead connection that never saw a FIN and close it: the agent reconnects
 *    and the server stops pushing into it. Heartbeat renews leases, which
 *    proves the agent still runs those jobs; a live connection alone does
 *    not. Lease expiry is what declares jobs lost, whatever the connection did. Publishing retries transient failures
 *    (no connection, 5xx) for a while before it counts as failed, and then
 *    reports the failure as transient, so the server may retry the job.
 */

/** The protocol version both sides must speak. */
export const PROTOCOL_VERSION = 1;

/** How often an agent renews its leases, unless Welcome says otherwise. */
export const DEFAULT_HEARTBEAT_SECONDS = 5;

/** How long a lease lasts without renewal (issue: lost within 30 s). */
export const DEFAULT_LEASE_SECONDS = 20;

/**
 * HTTP/2 keepalive of the agent's connection (Connect's node transport): a
 * PING after 10 s without data from the server, 10 s to answer, or the
 * connection and its stream close and the agent reconnects.
 */
export const AGENT_KEEPALIVE = { pingIntervalMs: 10_000, pingTimeoutMs: 10_000 } as const;

/** The exit code the build script uses for "version already published". */
export const SKIP_EXIT_CODE = 99;
