/**
 * What the build tests ask the server, over the real generated clients (gRPC
 * on h2c) with the admin key. Every call opens a fresh transport on the
 * current server, so calls keep working across a server restart.
 */
import { FINAL_JOB_STATES } from "../../lib/job-states.js";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { type Job, JobReason, JobService, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../../gen/vieter/v1/log_service_pb.js";
import { type Package, RepoService } from "../../gen/vieter/v1/repo_service_pb.js";
import { type Target, TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import type { TestServer } from "../setup/server.js";

/** Typed shortcuts over TargetService, JobService, LogService and RepoService. */
export interface BuildsClient {
  /** Creates a git target for x86_64 in `repo`; returns its id. */
  createTarget(url: string, repo: string, extra?: Partial<Pick<Target, "buildTimeoutSeconds">>): Promise<bigint>;
  /** BuildTarget; returns the one job it queued. */
  build(targetId: bigint, force?: boolean): Promise<Job>;
  job(id: bigint): Promise<Job>;
  /** The target's jobs made by BuildTarget and retries (not its scheduled next run), oldest first. */
  jobsOf(targetId: bigint): Promise<Job[]>;
  /** Polls until `check` holds for the job (or `ms` pass: then throws with its state). */
  waitForJob(id: bigint, check: (job: Job) => boolean, ms?: number): Promise<Job>;
  /** Polls until the job is in a final state. */
  waitUntilEnded(id: bigint, ms?: number): Promise<Job>;
  cancel(id: bigint): Promise<void>;
  /** The text of the job's build log (over the plain HTTP route); undefined when it has none. */
  logOf(jobId: bigint): Promise<string | undefined>;
  packages(repo: string): Promise<Package[]>;
}

/** A client of whatever server `current()` returns at the time of each call. */
export function createBuildsClient(current: () => TestServer): BuildsClient {
  const transport = () => createGrpcTransport({ baseUrl: current().baseUrl });
  const admin = () => ({ headers: { "x-api-key": current().apiKey } });
  const jobs = () => createClient(JobService, transport());
  const client: BuildsClient = {
    async createTarget(url, repo, extra = {}) {
      const { target } = await createClient(TargetService, transport()).createTarget(
        { target: { kind: TargetKind.GIT, url, repo, arches: ["x86_64"], ...extra } },
        admin(),
      );
      return target!.id;
    },
    async build(targetId, force = false) {
      const { jobs: queued } = await jobs().buildTarget({ targetId, force }, admin());
      return queued[0]!;
    },
    async job(id) {
      return (await jobs().getJob({ id }, admin())).job!;
    },
    async jobsOf(targetId) {
      const { jobs: list } = await jobs().listJobs({ targetId, limit: 100 }, admin());
      return list.filter((j) => j.reason !== JobReason.SCHEDULED).sort((a, b) => Number(a.id - b.id));
    },
    async waitForJob(id, check, ms = 120_000) {
      const end = Date.now() + ms;
      let job = await client.job(id).catch(() => undefined);
      while (!job || !check(job)) {
        if (Date.now() > end) throw new Error(`job ${id} did not get there: ${describe(job)}`);
        await new Promise((r) => setTimeout(r, 200));
        // A restarting server refuses a call or two.
        job = await client.job(id).catch(() => job);
      }
      return job;
    },
    waitUntilEnded(id, ms) {
      return client.waitForJob(id, (j) => FINAL_JOB_STATES.has(j.state), ms);
    },
    async cancel(id) {
      await jobs().cancelJob({ id }, admin());
    },
    async logOf(jobId) {
      const { logs } = await createClient(LogService, transport()).listLogs({ limit: 100 }, admin());
      const log = logs.find((l) => l.jobId === jobId);
      if (!log) return undefined;
      const res = await fetch(`${current().baseUrl}/api/v1/logs/${log.id}/content`, admin());
      if (!res.ok) throw new Error(`log ${log.id}: HTTP ${res.status}`);
      return res.text();
    },
    async packages(repo) {
      return (await createClient(RepoService, transport()).listPackages({ repo, limit: 100 }, admin())).packages;
    },
  };
  return client;
}

/** State, agent and cause of a job, for failure messages. */
export function describe(job: Job | undefined): string {
  if (!job) return "no such job";
  const cause = job.cause ? `; cause ${job.cause.step} ${job.cause.message}: ${job.cause.lastLines.join(" | ")}` : "";
  return `${JobState[job.state]} (agent ${job.agent || "-"})${cause}`;
}
