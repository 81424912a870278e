/**
 * Parsers for common configuration value types. Environment variables are
 * strings, TOML values are typed, so each parser accepts both forms.
 */
import { type ConfigKey, ConfigValueError } from "./config.js";

/** An integer within [min, max]. */
export function intKey(def: number | undefined, min: number, max: number): ConfigKey<number> {
  return {
    ...(def === undefined ? {} : { default: def }),
    parse(raw) {
      const text = typeof raw === "number" || typeof raw === "bigint" ? String(raw) : raw;
      if (typeof text !== "string" || !/^-?\d+$/.test(text.trim())) {
        throw new ConfigValueError(`must be an integer from ${min} to ${max}`);
      }
      const n = Number(text.trim());
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new ConfigValueError(`must be an integer from ${min} to ${max}`);
      }
      return n;
    },
  };
}

/** A decimal number within [min, max] with at most `decimals` digits after the point. */
export function decimalKey(def: number, min: number, max: number, decimals: number): ConfigKey<number> {
  const shape = new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`);
  const problem = `must be a number from ${min} to ${max} with at most ${decimals} decimals`;
  return {
    default: def,
    parse(raw) {
      const text = typeof raw === "number" ? String(raw) : raw;
      if (typeof text !== "string" || !shape.test(text.trim())) throw new ConfigValueError(problem);
      const n = Number(text.trim());
      if (!Number.isFinite(n) || n < min || n > max) throw new ConfigValueError(problem);
      return n;
    },
  };
}

/** true/false (also 1/0, yes/no, on/off as strings). */
export function boolKey(def: boolean): ConfigKey<boolean> {
  return {
    default: def,
    parse(raw) {
      if (typeof raw === "boolean") return raw;
      const s = typeof raw === "string" ? raw.trim().toLowerCase() : "";
      if (["true", "1", "yes", "on"].includes(s)) return true;
      if (["false", "0", "no", "off"].includes(s)) return false;
      throw new ConfigValueError("must be true or false");
    },
  };
}

/** A string, checked by `check` (which returns an error text or undefined). */
export function stringKey(
  def: string | undefined,
  check: (value: string) => string | undefined = () => undefined,
  options: { secret?: boolean } = {},
): ConfigKey<string> {
  return {
    ...(def === undefined ? {} : { default: def }),
    ...(options.secret ? { secret: true } : {}),
    parse(raw) {
      if (typeof raw !== "string") throw new ConfigValueError("must be a string");
      const problem = check(raw);
      if (problem !== undefined) throw new ConfigValueError(problem);
      return raw;
    },
  };
}

/** One of a fixed set of words, case-insensitive; returns the canonical spelling. */
export function enumKey<T extends string>(def: T, allowed: readonly T[]): ConfigKey<T> {
  return {
    default: def,
    parse(raw) {
      const s = typeof raw === "string" ? raw.trim().toLowerCase() : undefined;
      const hit = allowed.find((a) => a.toLowerCase() === s);
      if (hit === undefined) throw new ConfigValueError(`must be one of ${allowed.join(", ")}`);
      return hit;
    },
  };
}

/** A list of strings: a TOML array, or a comma-separated string in env vars. */
export function listKey(
  def: string[] | undefined,
  check: (item: string) => string | undefined = () => undefined,
): ConfigKey<string[]> {
  return {
    ...(def === undefined ? {} : { default: def }),
    parse(raw) {
      const items = Array.isArray(raw)
        ? raw
        : typeof raw === "string"
          ? raw
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "")
          : undefined;
      if (items === undefined || items.some((i) => typeof i !== "string")) {
        throw new ConfigValueError("must be a list of strings (comma-separated in environment variables)");
      }
      for (const item of items as string[]) {
        const problem = check(item);
        if (problem !== undefined) throw new ConfigValueError(`item ${JSON.stringify(item)}: ${problem}`);
      }
      return items as string[];
    },
  };
}
