/**
 * Vieter's `logs list` filters, parsed before anything is sent: times in
 * local time, `--day`/`--today` as a whole local day, and `--code` with `!`
 * to exclude. Each parse error is a usage error naming the flag.
 */
import { InvalidArgumentError } from "commander";
import { JobState } from "../../../gen/vieter/v1/job_service_pb.js";
import { UsageError } from "../../errors.js";

/** `--code` values so far: codes to include and to exclude. */
export interface ExitCodes {
  include: number[];
  exclude: number[];
}

/** `--code N` includes N, `--code '!N'` excludes it; repeatable. */
export function exitCode(value: string, previous: ExitCodes | undefined): ExitCodes {
  const m = /^(!?)(-?\d{1,10})$/.exec(value.trim());
  const code = m ? Number(m[2]) : NaN;
  if (!m || code < -2147483648 || code > 2147483647) {
    throw new InvalidArgumentError("must be an exit code, or ! and an exit code to exclude it (e.g. 1 or '!0')");
  }
  const codes = previous ?? { include: [], exclude: [] };
  (m[1] === "!" ? codes.exclude : codes.include).push(code);
  return codes;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** `YYYY-MM-DD[ HH:mm[:ss]]` in local time. */
export function localDateTime(value: string): Date {
  const m = TIME.exec(value.trim());
  const [y, mo, d, h, mi, s] = (m?.slice(1) ?? []).map((x) => Number(x ?? 0));
  const date = m ? new Date(y!, mo! - 1, d, h, mi, s) : new Date(NaN);
  // new Date() rolls 2026-02-30 over to March; a real date reads back the same.
  const same =
    m &&
    date.getFullYear() === y &&
    date.getMonth() === mo! - 1 &&
    date.getDate() === d &&
    date.getHours() === h &&
    date.getMinutes() === mi;
  if (!same) throw new InvalidArgumentError("must be a local date and time: YYYY-MM-DD or YYYY-MM-DD HH:mm[:ss]");
  return date;
}

/** `--day`: a date without a time. */
export function localDay(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) throw new InvalidArgumentError("must be a date: YYYY-MM-DD");
  return localDateTime(value);
}

/** The time flags as given. */
export interface TimeFlags {
  before?: Date;
  after?: Date;
  day?: Date;
  today?: boolean;
}

/** The strict bounds `before`/`after` the server filters with. */
export function timeRange(flags: TimeFlags, now: Date): { before?: Date; after?: Date } {
  const { before, after, today } = flags;
  if (flags.day !== undefined && today) throw new UsageError("choose one of --day and --today");
  const day = today ? new Date(now.getFullYear(), now.getMonth(), now.getDate()) : flags.day;
  if (day === undefined) return { ...(before && { before }), ...(after && { after }) };
  if (before !== undefined || after !== undefined) {
    throw new UsageError(`--${today ? "today" : "day"} sets the time range; leave out --before and --after`);
  }
  // `after` is strict: one millisecond before midnight lets a log started at midnight in.
  return {
    after: new Date(day.getTime() - 1),
    before: new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1),
  };
}

/** What `--failed` means: the build ended and did not succeed (skipped and cancelled are not failures). */
export const FAILED_RESULTS: readonly JobState[] = [JobState.FAILED, JobState.TIMED_OUT, JobState.LOST];
