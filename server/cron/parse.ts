import { maxDaysInMonth } from "./calendar.js";
import { CronParseError, quoteInput } from "./errors.js";
import { CRON_FIELDS } from "./fields.js";
import type { CronField } from "./fields.js";

/** The values each section of an expression allows, ascending and without duplicates. */
export interface CronFieldValues {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: readonly number[];
  readonly months: readonly number[];
}

/**
 * Upper bound on expression length. Listing every value of every section
 * explicitly stays under 400 characters, so anything longer is not a schedule
 * a person wrote; the bound keeps hostile input cheap to reject.
 */
export const MAX_EXPRESSION_LENGTH = 1000;

// Every valid number (values ≤ 59, steps ≤ 59) has at most two digits. The
// cap rejects huge digit strings before they become lossy floats.
const MAX_DIGITS = 2;

// Vieter splits on spaces; tabs are accepted as the same kind of blank. Any
// other character (newline, NBSP, …) is reported as unexpected.
const SECTION_SEPARATOR = /[ \t]+/;
const ALLOWED_CHARACTERS = /^[0-9*,/-]*$/;
const DIGITS = /^[0-9]+$/;

/** Thrown inside one section; wrapped with the expression by {@link parseCronFields}. */
class SectionError extends Error {}

/**
 * Parses a Vieter cron expression (`minute hour [day [month]]`) into the
 * allowed values of each section.
 *
 * Grammar: two to four sections separated by blanks; missing trailing
 * sections mean `*`. Each section is a comma list of `*`, `a`, `*∕n`, `a∕n`,
 * `a-b` or `a-b∕n`. Ranges: minute 0–59, hour 0–23, day 1–31, month 1–12.
 * Steps run from 1 to `max − min` of their section, and `b ≥ a`.
 *
 * @param argumentName - names the argument in the error message (`schedule`, `global_schedule`, …).
 * @throws {CronParseError} when the grammar is violated, a value is out of
 *   range, or no allowed day exists in any allowed month (e.g. `0 0 30 2`).
 */
export function parseCronFields(expression: string, argumentName = "schedule"): CronFieldValues {
  function fail(reason: string): never {
    throw new CronParseError(typeof expression === "string" ? expression : String(expression), reason, argumentName);
  }
  if (typeof expression !== "string") {
    fail(`expected a string, got ${typeof expression}`);
  }
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    fail(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const sections = expression.split(SECTION_SEPARATOR).filter((s) => s !== "");
  if (sections.length === 0) {
    fail("expression is empty");
  }
  // Characters first: a stray character (say a non-breaking space joining
  // two sections) also explains a wrong section count, and is the real fault.
  sections.forEach((section, i) => {
    if (!ALLOWED_CHARACTERS.test(section)) {
      const bad = [...section].find((c) => !ALLOWED_CHARACTERS.test(c)) ?? "";
      const name = CRON_FIELDS[i]?.name ?? `extra (${i + 1}.)`;
      fail(`${name} section ${quoteInput(section)}: unexpected character ${quoteInput(bad)} (allowed: digits * , / -)`);
    }
  });
  if (sections.length < 2 || sections.length > CRON_FIELDS.length) {
    const hint = sections.length > CRON_FIELDS.length ? " (there is no day-of-week section)" : "";
    fail(`expected 2 to 4 sections "minute hour [day [month]]", got ${sections.length}${hint}`);
  }

  const values = CRON_FIELDS.map((field, i) => {
    const section = sections[i] ?? "*";
    try {
      return parseSection(section, field);
    } catch (e) {
      if (e instanceof SectionError) {
        fail(`${field.name} section ${quoteInput(section)}: ${e.message}`);
      }
      throw e;
    }
  });
  const [minutes = [], hours = [], days = [], months = []] = values;

  // A schedule that can never fire would leave its target silently unbuilt
  // forever, so it is rejected up front, as Vieter does for `0 0 30 2`.
  const firstDay = days[0] ?? Infinity;
  if (!months.some((m) => firstDay <= maxDaysInMonth(m))) {
    fail(`day ${days.join(",")} never occurs in month ${months.join(",")}, so the schedule would never run`);
  }
  return { minutes, hours, days, months };
}

/** Expands one comma-separated section (already checked for allowed characters) into its sorted distinct values. */
function parseSection(section: string, field: CronField): number[] {
  const allowed = new Array<boolean>(field.max + 1).fill(false);
  for (const part of section.split(",")) {
    if (part === "") {
      throw new SectionError("empty item in comma list");
    }
    for (const v of parsePart(part, field)) {
      allowed[v] = true;
    }
  }
  const result: number[] = [];
  allowed.forEach((isAllowed, v) => {
    if (isAllowed) result.push(v);
  });
  return result;
}

/** Expands one list item (`*`, `a`, `*∕n`, `a∕n`, `a-b`, `a-b∕n`). */
function parsePart(part: string, field: CronField): number[] {
  const slashParts = part.split("/");
  if (slashParts.length > 2) {
    throw new SectionError(`more than one '/' in ${quoteInput(part)}`);
  }
  const [base = "", stepText] = slashParts;
  const step = stepText === undefined ? 1 : parseStep(stepText, field);

  let start: number;
  let end: number;
  if (base === "*") {
    start = field.min;
    end = field.max;
  } else {
    const dashParts = base.split("-");
    if (dashParts.length > 2) {
      throw new SectionError(`more than one '-' in ${quoteInput(part)}`);
    }
    const [startText = "", endText] = dashParts;
    start = parseValue(startText, field, "start", part);
    if (endText === undefined) {
      // A bare `a` is a single value; `a/n` runs from a to the section max.
      end = stepText === undefined ? start : field.max;
    } else {
      end = parseValue(endText, field, "end", part);
      if (end < start) {
        throw new SectionError(`range ${quoteInput(base)} ends before it starts`);
      }
    }
  }

  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return values;
}

function parseStep(text: string, field: CronField): number {
  if (text === "") throw new SectionError("missing step after '/'");
  if (text === "*") throw new SectionError("'*' cannot be a step; write a number after '/'");
  if (text.includes("-")) throw new SectionError("a range cannot follow '/'; write 'a-b/n'");
  const step = parseNumber(text, "step");
  if (step < 1) throw new SectionError("step must be at least 1");
  // Kept from the pre-0.6 implementation: a step this large selects only the
  // start value, which is almost certainly not what was meant.
  if (step > field.max - field.min) {
    throw new SectionError(`step ${step} is larger than ${field.max - field.min}`);
  }
  return step;
}

function parseValue(text: string, field: CronField, role: "start" | "end", part: string): number {
  if (text === "") {
    const what = role === "start" ? "a start value" : "an end value";
    throw new SectionError(`missing ${what} in ${quoteInput(part)}`);
  }
  if (text.includes("*")) {
    const reason =
      text !== "*"
        ? `'*' must stand alone, as '*' or '*/n'`
        : role === "start"
          ? "'*' cannot start a range"
          : "'*' cannot end a range";
    throw new SectionError(`${reason} in ${quoteInput(part)}`);
  }
  const value = parseNumber(text, "value");
  if (value < field.min || value > field.max) {
    throw new SectionError(`${field.name} ${value} is outside ${field.min}-${field.max}`);
  }
  return value;
}

/** Parses plain ASCII digits only; signs, decimals and exponents never reach here. */
function parseNumber(text: string, role: "value" | "step"): number {
  if (!DIGITS.test(text)) {
    throw new SectionError(`${role} ${quoteInput(text)} is not a number`);
  }
  if (text.length > MAX_DIGITS) {
    throw new SectionError(`${role} ${quoteInput(text)} has more than ${MAX_DIGITS} digits`);
  }
  return Number(text);
}
