/**
 * Value formatting shared by every view: times in the local time zone (the
 * process's TZ) for people, sizes in binary units.
 */
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:mm:ss` in local time; empty for an unset time. */
export function localTime(date: Date | null | undefined): string {
  if (date == null) return "";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** Converts a time from a message; unset becomes null, so JSON keeps every field. */
export function dateOf(ts: Timestamp | undefined): Date | null {
  return ts === undefined ? null : timestampDate(ts);
}

/** The local time zone's name, e.g. `Europe/Amsterdam`, for headings. */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** A byte count for people: `512 B`, `12.3 KiB`, `1.0 GiB`. */
export function humanSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A list for one table cell or raw field. */
export function joined(items: readonly string[]): string {
  return items.join(",");
}

/** `SCREAMING_ENUM_NAME` (without its prefix) as the lower-case word scripts see. */
export function enumWord(names: Record<number, string>, value: number): string {
  const name = names[value];
  return name === undefined ? String(value) : name.toLowerCase();
}
