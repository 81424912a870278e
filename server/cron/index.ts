export { CronParseError, InvalidTimeZoneError } from "./errors.js";
export { CRON_FIELDS } from "./fields.js";
export type { CronField, CronFieldName } from "./fields.js";
export { MAX_EXPRESSION_LENGTH, parseCronFields } from "./parse.js";
export type { CronFieldValues } from "./parse.js";
export { CronSchedule, MAX_OCCURRENCES } from "./schedule.js";
export { nextOccurrence, nextOccurrences } from "./next.js";
export { resolveTimeZone } from "./time-zone.js";
export type { WallTime } from "./calendar.js";
