/**
 * Parsers for arguments and flag values, run by commander before anything is
 * sent: a bad value is a usage error that names the argument.
 */
import { InvalidArgumentError } from "commander";
import { JobState } from "../gen/vieter/v1/job_service_pb.js";

/** An integer from `min` to `max`. */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** A target, job or log id. */
export const id = (value: string): bigint => BigInt(integer(1, Number.MAX_SAFE_INTEGER)(value));

/** `--limit`: 0 asks for the server's default page size. */
export const limit = integer(0, 10_000);

/** `--offset`. */
export const offset = integer(0, Number.MAX_SAFE_INTEGER);

/**
 * `--arch`, repeatable and comma-separated (`--arch x86_64 --arch aarch64` or
 * `--arch x86_64,aarch64`); accumulates into one list.
 */
export function archList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [...(previous ?? []), ...items];
}

/**
 * `--state` / `--result`: job states by their lower-case names, repeatable
 * and comma-separated; accumulates into one list.
 */
export function jobStateList(value: string, previous: JobState[] | undefined): JobState[] {
  const states = archList(value, undefined).map((word) => {
    const state: unknown = JobState[word.toUpperCase() as keyof typeof JobState];
    if (typeof state !== "number" || state === JobState.UNSPECIFIED) {
      throw new InvalidArgumentError(`must be one of ${JOB_STATE_WORDS.join(", ")}`);
    }
    return state as JobState;
  });
  return [...(previous ?? []), ...states];
}

/** Every job state as the CLI spells it. */
export const JOB_STATE_WORDS = Object.keys(JobState)
  .filter((k) => Number.isNaN(Number(k)) && k !== "UNSPECIFIED")
  .map((k) => k.toLowerCase());
