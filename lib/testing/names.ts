// Test helpers for the name checks of lib/names.ts and server/pkg/names.ts.
import { expect } from "vitest";
import { InvalidArgumentError } from "../errors.js";

/**
 * Hostile names and the reason each must be refused for: every name check
 * (repo, arch, package, package file) shares these path-safety rules, so
 * every check's tests run the whole table.
 */
export const UNSAFE_NAMES: ReadonlyArray<[name: string, reason: string]> = [
  ["", "must not be empty"],
  [".", 'must not be "." or ".."'],
  ["..", 'must not be "." or ".."'],
  ["a/b", 'must not contain "/"'],
  ["../etc", 'must not contain "/"'],
  ["a\\b", 'must not contain "/" or "\\"'],
  ["a\0b", "control characters"],
  ["a\nb", "control characters"],
  ["a\u0085b", "control characters"],
  ["-rf", 'must not start with "-"'],
  [".hidden", 'must not start with "."'],
  ["x".repeat(256), "longer than 255 bytes"],
  ["ä".repeat(128), "longer than 255 bytes"],
  ["a\ud800", "valid Unicode"],
];

/** The message of the InvalidArgumentError `fn` throws; fails the test if it throws nothing or something else. */
export function invalidArgumentMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error("expected an InvalidArgumentError");
}
