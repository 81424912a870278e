/** The run a claim queues after a scheduled job, from the schedule stored on the job's row. */
import { describe, expect, it } from "vitest";
import type { Job } from "./job.js";
import { successorOf } from "./successor.js";

const takenAt = new Date("2026-03-04T10:17:40Z");

function scheduled(reason: Job["reason"] = "scheduled"): Job {
  return {
    id: 7,
    targetId: 3,
    arch: "aarch64",
    force: false,
    reason,
    state: "queued",
    agent: "",
    attempt: 1,
    createdAt: new Date("2026-03-01T00:00:00Z"),
    dueAt: new Date("2026-03-04T03:00:00Z"),
    cancelReason: "",
  };
}

const row = (schedule: unknown, timeZone: unknown = "UTC") => ({ schedule, time_zone: timeZone });

describe("successorOf", () => {
  it("is the first occurrence after the minute the job was taken, missed ones collapsed", () => {
    // Due at 03:00, taken at 10:17: the 03:15 … 10:15 runs are not queued one by one.
    expect(successorOf(scheduled(), row("*/15 *"), takenAt)).toEqual({
      targetId: 3,
      arch: "aarch64",
      dueAt: new Date("2026-03-04T10:30:00Z"),
      schedule: "*/15 *",
      timeZone: "UTC",
    });
    expect(successorOf(scheduled(), row("0 3"), takenAt)?.dueAt).toEqual(new Date("2026-03-05T03:00:00Z"));
  });

  it("reads the wall-clock time in the zone stored on the job", () => {
    // 03:00 in Berlin is 02:00Z in March (before the change to summer time).
    const next = successorOf(scheduled(), row("0 3", "Europe/Berlin"), takenAt);
    expect(next).toMatchObject({ dueAt: new Date("2026-03-05T02:00:00Z"), timeZone: "Europe/Berlin" });
  });

  it("is none for manual and retried jobs", () => {
    expect(successorOf(scheduled("manual"), row("*/15 *"), takenAt)).toBeUndefined();
    expect(successorOf(scheduled("retry"), row("*/15 *"), takenAt)).toBeUndefined();
  });

  it("is none, without throwing, for a stored schedule or zone that cannot be evaluated", () => {
    const hostile: [unknown, unknown][] = [
      ["", "UTC"],
      ["   ", "UTC"],
      [null, "UTC"],
      [42, "UTC"],
      ["x 8", "UTC"],
      ["0 0 30 2", "UTC"],
      ["1 2 3 4 5", "UTC"],
      ["0 ".repeat(5000), "UTC"],
      ["0 3", ""],
      ["0 3", "Mars/Olympus_Mons"],
      ["0 3", "../../etc/passwd"],
      ["0 3", null],
    ];
    for (const [schedule, zone] of hostile)
      expect(successorOf(scheduled(), row(schedule, zone), takenAt), `${String(schedule)} in ${String(zone)}`).toBe(
        undefined,
      );
  });

  it("answers valid schedules the same before and after invalid ones (nothing cached from a failure)", () => {
    const before = successorOf(scheduled(), row("*/15 *"), takenAt);
    expect(successorOf(scheduled(), row("*/15 * 31 2"), takenAt)).toBeUndefined();
    expect(successorOf(scheduled(), row("*/15 *", "No/Such_Zone"), takenAt)).toBeUndefined();
    expect(successorOf(scheduled(), row("*/15 *"), takenAt)).toEqual(before);
    expect(successorOf(scheduled(), row("*/15 * 31 2"), takenAt)).toBeUndefined();
  });
});
