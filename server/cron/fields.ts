/** Name of one section of a Vieter cron expression, in expression order. */
export type CronFieldName = "minute" | "hour" | "day" | "month";

/** The value range of one section. */
export interface CronField {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
}

/**
 * The four sections in the order they appear in an expression. Vieter has no
 * day-of-week section; the ranges are those of the pre-0.6 V implementation.
 */
export const CRON_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
];
