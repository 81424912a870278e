/**
 * `.PKGINFO` → {@link PackageInfo}: the metadata makepkg writes into every
 * package, read the way repo-add reads it (see `pkginfo-lines.ts`) and then
 * validated, because it comes from an uploaded, untrusted file.
 */
import { archNameProblem, packageNameProblem } from "../../lib/names.js";
import { quote } from "../../lib/quote.js";
import { InvalidPackageError } from "./errors.js";
import type { PackageInfo } from "./package-info.js";
import { hasUnterminatedLine, splitPkginfo } from "./pkginfo-lines.js";
import { pkgverProblem } from "./pkgver.js";

/** Keys that hold one value; an empty value means "not set". */
const SINGLE_KEYS = [
  "pkgname",
  "pkgbase",
  "pkgver",
  "pkgdesc",
  "url",
  "builddate",
  "packager",
  "size",
  "arch",
  "pgpsig",
] as const;

/** Keys that may repeat; their values accumulate in file order. */
const LIST_KEYS = [
  "license",
  "replaces",
  "group",
  "conflict",
  "provides",
  "backup",
  "depend",
  "optdepend",
  "makedepend",
  "checkdepend",
  "xdata",
] as const;

type SingleKey = (typeof SINGLE_KEYS)[number];
type ListKey = (typeof LIST_KEYS)[number];

export type { PackageInfo };

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
// Tabs and other whitespace are already spaces here (repo-add normalises them).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CANONICAL_INTEGER = /^(?:0|[1-9][0-9]*)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses and validates `.PKGINFO`. Bytes must be UTF-8. Unknown keys are
 * ignored, as pacman and repo-add do. Throws {@link InvalidPackageError}
 * (problem `invalid_pkginfo`) naming the key and value for: missing or
 * invalid pkgname, pkgver or arch; a repeated single-valued key; an empty
 * list value; a size or builddate that is not a non-negative integer;
 * control characters; invalid UTF-8; a last line without its newline.
 */
export function parsePkginfo(input: string | Uint8Array): PackageInfo {
  const text = typeof input === "string" ? input : decodePkginfo(input);
  if (text.includes("\0")) throw invalid("contains a NUL byte");
  // repo-add would silently drop such a line; refusing it avoids guessing.
  if (hasUnterminatedLine(text)) throw invalid("does not end with a newline");
  const single = new Map<SingleKey, string>();
  const lists = Object.fromEntries(LIST_KEYS.map((key) => [key, [] as string[]])) as Record<ListKey, string[]>;
  for (const { key, value } of splitPkginfo(text)) {
    if (isSingleKey(key)) {
      if (single.has(key)) throw invalid(`key "${key}" appears more than once`, key);
      checkText(key, value);
      single.set(key, value);
    } else if (isListKey(key)) {
      // An empty entry would end the field early in the desc file pacman reads.
      if (value === "") throw invalid(`key "${key}" has an empty value`, key);
      checkText(key, value);
      lists[key].push(value);
    }
  }
  const get = (key: SingleKey) => single.get(key) ?? "";
  const info: PackageInfo = {
    pkgname: required("pkgname", get("pkgname"), packageNameProblem),
    pkgbase: optional("pkgbase", get("pkgbase"), packageNameProblem),
    pkgver: required("pkgver", get("pkgver"), pkgverProblem),
    pkgdesc: get("pkgdesc"),
    url: get("url"),
    builddate: integer("builddate", get("builddate")),
    packager: get("packager"),
    size: integer("size", get("size")),
    arch: required("arch", get("arch"), archNameProblem),
    pgpsig: optional("pgpsig", get("pgpsig"), (v) => (BASE64.test(v) ? undefined : "must be base64")),
    ...lists,
  };
  for (const entry of info.xdata) {
    // libalpm refuses to load a package whose xdata entry has no "=".
    if (!entry.includes("=")) throw badValue("xdata", entry, 'must have the form "key=value"');
  }
  return info;
}

/**
 * Decodes `.PKGINFO` bytes as strict UTF-8 (a byte-order mark is kept, as
 * bash would keep it); throws {@link InvalidPackageError} otherwise.
 */
export function decodePkginfo(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalid("is not valid UTF-8");
  }
}

function required(key: SingleKey, value: string, problemOf: (v: string) => string | undefined): string {
  if (value === "") throw invalid(`has no "${key}"`, key);
  return optional(key, value, problemOf);
}

function optional(key: SingleKey, value: string, problemOf: (v: string) => string | undefined): string {
  const problem = value === "" ? undefined : problemOf(value);
  if (problem !== undefined) throw badValue(key, value, problem);
  return value;
}

function integer(key: SingleKey, value: string): number | undefined {
  if (value === "") return undefined;
  // Canonical digits only, so the number prints back exactly as repo-add copies the text.
  const n = Number(value);
  if (!CANONICAL_INTEGER.test(value) || !Number.isSafeInteger(n)) {
    throw badValue(
      key,
      value,
      `must be a non-negative integer without leading zeros, at most ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return n;
}

function checkText(key: string, value: string): void {
  if (CONTROL.test(value)) throw badValue(key, value, "contains a control character");
}

function isSingleKey(key: string): key is SingleKey {
  return (SINGLE_KEYS as readonly string[]).includes(key);
}

function isListKey(key: string): key is ListKey {
  return (LIST_KEYS as readonly string[]).includes(key);
}

function invalid(what: string, key?: string): InvalidPackageError {
  return new InvalidPackageError("invalid_pkginfo", `.PKGINFO ${what}`, key);
}

function badValue(key: string, value: string, problem: string): InvalidPackageError {
  return new InvalidPackageError(
    "invalid_pkginfo",
    `.PKGINFO key "${key}" has invalid value ${quote(value)}: ${problem}`,
    key,
  );
}
