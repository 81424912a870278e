import { DAY_MS, HOUR_MS } from "./calendar.js";
import { InvalidTimeZoneError } from "./errors.js";

const MAX_NAME_LENGTH = 64;
// Intl canonicalises names ("europe/berlin" → "Europe/Berlin", "GMT" → "UTC").
// Newer engines also accept offsets such as "+01:00"; those are not IANA zone
// names, so the canonical form must look like one.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
// Bounds for the memo tables below; both are cleared wholesale when full,
// which is cheap and keeps hostile input from growing memory.
const MAX_CACHED_ZONES = 1024;
const MAX_CACHED_HOURS = 100_000;

const zones = new Map<string, TimeZone>();

/**
 * An IANA time zone with fast UTC-offset lookups.
 *
 * Intl is the source of truth, but one `formatToParts` call costs about
 * 10 µs, far over the scheduler's 1 µs-per-evaluation budget. Offsets are
 * therefore memoised per UTC hour: if the offsets at both ends of an hour
 * agree, the whole hour has that offset. This assumes no zone changes its
 * offset twice within one hour (or, in {@link instantOf}, twice within a
 * day), which holds for every transition in the tz database.
 */
export class TimeZone {
  /** Canonical IANA name, e.g. `Europe/Berlin` or `UTC`. */
  readonly name: string;
  /** Whether the zone is UTC, which needs no offset lookups at all. */
  readonly isUtc: boolean;
  private readonly format: Intl.DateTimeFormat;
  private readonly hourOffsets = new Map<number, number>();

  private constructor(format: Intl.DateTimeFormat) {
    this.format = format;
    this.name = format.resolvedOptions().timeZone;
    this.isUtc = this.name === "UTC";
  }

  /**
   * The zone called `name` (any case, any IANA alias), shared between callers.
   *
   * @throws {InvalidTimeZoneError} if `name` is not an IANA time zone.
   */
  static of(name: string): TimeZone {
    const cached = zones.get(name);
    if (cached) return cached;
    const zone = new TimeZone(createFormat(name));
    if (!IANA_NAME.test(zone.name)) throw new InvalidTimeZoneError(name);
    if (zones.size >= MAX_CACHED_ZONES) zones.clear();
    zones.set(name, zone);
    return zone;
  }

  /** Local time minus UTC, in milliseconds, at epoch milliseconds `ms`. */
  offsetAt(ms: number): number {
    if (this.isUtc) return 0;
    const hour = Math.floor(ms / HOUR_MS);
    const start = this.hourStartOffset(hour);
    return start === this.hourStartOffset(hour + 1) ? start : this.exactOffset(ms);
  }

  /**
   * The instant (epoch ms) at which the local wall clock shows `wallMs`
   * (local time written as if it were UTC).
   *
   * - Ambiguous time (clocks go back): the earlier instant, so a schedule
   *   fires once, on the first pass.
   * - Nonexistent time (clocks go forward): the instant the gap ends, e.g.
   *   02:30 on a spring-forward night in Berlin resolves to 03:00 CEST. A
   *   nightly build is thus delayed, not dropped, and every time inside one
   *   gap resolves to the same instant, so they fire once together.
   */
  instantOf(wallMs: number): number {
    const before = this.offsetAt(wallMs - DAY_MS);
    const after = this.offsetAt(wallMs + DAY_MS);
    if (before === after) return wallMs - before;

    const viaBefore = wallMs - before;
    const viaAfter = wallMs - after;
    const beforeFits = this.offsetAt(viaBefore) === before;
    const afterFits = this.offsetAt(viaAfter) === after;
    if (beforeFits && afterFits) return Math.min(viaBefore, viaAfter);
    if (beforeFits) return viaBefore;
    if (afterFits) return viaAfter;
    return this.transitionBetween(viaAfter, viaBefore, before);
  }

  /**
   * First instant in (lo, hi] whose offset differs from `loOffset`, found by
   * bisection to the second (tz transitions fall on whole seconds). Only
   * reached for times inside a spring-forward gap, so its dozen Intl calls
   * do not matter.
   */
  private transitionBetween(lo: number, hi: number, loOffset: number): number {
    let low = Math.floor(lo / 1000);
    let high = Math.ceil(hi / 1000);
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.exactOffset(mid * 1000) === loOffset) low = mid;
      else high = mid;
    }
    return high * 1000;
  }

  private hourStartOffset(hour: number): number {
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      offset = this.exactOffset(hour * HOUR_MS);
      if (this.hourOffsets.size >= MAX_CACHED_HOURS) this.hourOffsets.clear();
      this.hourOffsets.set(hour, offset);
    }
    return offset;
  }

  private exactOffset(ms: number): number {
    const utcSeconds = Math.floor(ms / 1000) * 1000;
    const f = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.format.formatToParts(utcSeconds)) {
      if (part.type in f) f[part.type as keyof typeof f] = Number(part.value);
    }
    const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
    return local - utcSeconds;
  }
}

/**
 * Checks that `name` is an IANA time zone and returns its canonical name.
 *
 * @throws {InvalidTimeZoneError} otherwise.
 */
export function resolveTimeZone(name: string): string {
  return TimeZone.of(name).name;
}

function createFormat(name: string): Intl.DateTimeFormat {
  if (typeof name !== "string") throw new InvalidTimeZoneError(String(name), "expected a string");
  if (name === "" || name.length > MAX_NAME_LENGTH) throw new InvalidTimeZoneError(name);
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch (e) {
    if (e instanceof RangeError) throw new InvalidTimeZoneError(name);
    throw e;
  }
}
