/** The job change notifier: filters, bounded buffers, and ending on abort or overflow. */
import { describe, expect, it } from "vitest";
import { ResourceExhaustedError } from "../../lib/errors.js";
import { createJobEvents } from "./events.js";
import type { Job, JobState } from "./job.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const job = (id: number, state: JobState = "queued", targetId = 1, arch = "x86_64"): Job => ({
  id,
  targetId,
  arch,
  force: false,
  reason: "manual",
  state,
  agent: "",
  attempt: 1,
  createdAt: t0,
  dueAt: t0,
  cancelReason: "",
});

describe("createJobEvents", () => {
  it("delivers published changes in order to a waiting reader and to a later reader", async () => {
    const events = createJobEvents();
    const sub = events.subscribe({});
    const waiting = sub.next();
    events.publish(job(1));
    expect((await waiting).value).toMatchObject({ id: 1 });
    events.publish([job(2), job(3)]);
    expect((await sub.next()).value.id).toBe(2);
    expect((await sub.next()).value.id).toBe(3);
  });

  it("filters by target, job and arch", async () => {
    const events = createJobEvents();
    const byTarget = events.subscribe({ targetId: 2 });
    const byJob = events.subscribe({ jobId: 5 });
    const byArch = events.subscribe({ arch: "aarch64" });
    events.publish([job(4, "queued", 1), job(5, "queued", 2), job(6, "queued", 2, "aarch64")]);
    expect((await byTarget.next()).value.id).toBe(5);
    expect((await byTarget.next()).value.id).toBe(6);
    expect((await byJob.next()).value.id).toBe(5);
    expect((await byArch.next()).value.id).toBe(6);
  });

  it("collapses unread changes of one job into its latest state", async () => {
    const events = createJobEvents();
    const sub = events.subscribe({});
    events.publish([job(1, "queued"), job(2), job(1, "dispatched"), job(1, "running")]);
    expect((await sub.next()).value).toMatchObject({ id: 1, state: "running" });
    expect((await sub.next()).value).toMatchObject({ id: 2 });
  });

  it("ends a reader that falls too far behind with ResourceExhausted, and detaches it", async () => {
    const events = createJobEvents({ maxBuffered: 2 });
    const sub = events.subscribe({});
    events.publish([job(1), job(2), job(3)]);
    expect(events.subscriberCount).toBe(0);
    await expect(sub.next()).rejects.toBeInstanceOf(ResourceExhaustedError);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });

  it("ends on abort, including a pending read, and on return()", async () => {
    const events = createJobEvents();
    const abort = new AbortController();
    const sub = events.subscribe({}, { signal: abort.signal });
    const pending = sub.next();
    abort.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    const other = events.subscribe({});
    expect(events.subscriberCount).toBe(1);
    await other.return!();
    expect(events.subscriberCount).toBe(0);
    events.publish(job(1));
    expect(await other.next()).toEqual({ value: undefined, done: true });
    const already = new AbortController();
    already.abort();
    events.subscribe({}, { signal: already.signal });
    expect(events.subscriberCount).toBe(0);
  });

  it("works with for await and stops delivering after break", async () => {
    const events = createJobEvents();
    const sub = events.subscribe({ targetId: 1 });
    events.publish([job(1), job(2), job(3)]);
    const seen: number[] = [];
    for await (const j of sub) {
      seen.push(j.id);
      if (j.id === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(events.subscriberCount).toBe(0);
  });
});
