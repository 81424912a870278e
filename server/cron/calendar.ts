/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Whether `year` is a leap year in the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * The most days `month` (1–12) can have in any year; February counts 29
 * because a schedule on Feb 29 does fire, every leap year.
 */
export function maxDaysInMonth(month: number): number {
  return month === 2 ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * A wall-clock minute, as calendar fields. Months and days are 1-based.
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * Splits a "wall-clock milliseconds" value (local time written as if it were
 * UTC) into calendar fields; seconds are dropped.
 *
 * Pure arithmetic (H. Hinnant's `civil_from_days`) instead of `Date` getters:
 * on the scheduler's hot path the getters cost several times more.
 */
export function wallTimeFromMs(ms: number): WallTime {
  const days = Math.floor(ms / DAY_MS);
  const msOfDay = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1,
    hour: Math.floor(msOfDay / HOUR_MS),
    minute: Math.floor((msOfDay % HOUR_MS) / MINUTE_MS),
  };
}

/** Inverse of {@link wallTimeFromMs} (H. Hinnant's `days_from_civil`), valid for any year. */
export function wallTimeToMs(t: WallTime): number {
  const year = t.month <= 2 ? t.year - 1 : t.year;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (t.month > 2 ? t.month - 3 : t.month + 9) + 2) / 5) + t.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  return days * DAY_MS + t.hour * HOUR_MS + t.minute * MINUTE_MS;
}
