/**
 * pacman's version comparison, ported from libalpm's `version.c` (pacman
 * 6.0.2: `alpm_pkg_vercmp`, `parseEVR`, `rpmvercmp`). Ported rather than
 * reimplemented: the quirks (separator lengths, alpha < empty < numeric at the
 * tail, a missing pkgrel matching any pkgrel) are what pacman users rely on,
 * and the tests compare this against `/usr/bin/vercmp` on thousands of pairs.
 */

/** The result of {@link vercmp}: like `strcmp`, but always -1, 0 or 1. */
export type VercmpResult = -1 | 0 | 1;

/** A version split the way libalpm splits it: `[epoch:]pkgver[-pkgrel]`. */
export interface ParsedVersion {
  /** Digits before the first `:`; `"0"` when absent or empty (pacman's default). */
  epoch: string;
  /** Everything between the epoch and the last `-`. */
  pkgver: string;
  /** Everything after the last `-`; `undefined` when there is no `-`. */
  pkgrel: string | undefined;
}

const encoder = new TextEncoder();

/**
 * Splits a full version like libalpm's `parseEVR`: the epoch is a leading run
 * of digits followed by `:`, the pkgrel is whatever follows the last `-`.
 */
export function parseVersion(version: string): ParsedVersion {
  const evr = cString(version);
  let digitsEnd = 0;
  while (digitsEnd < evr.length && isDigit(evr.charCodeAt(digitsEnd))) digitsEnd++;
  // libalpm searches for the last '-' only after the epoch digits; the digits
  // cannot contain one, so a plain lastIndexOf finds the same dash.
  const dash = evr.lastIndexOf("-");
  const hasEpoch = evr[digitsEnd] === ":";
  const versionStart = hasEpoch ? digitsEnd + 1 : 0;
  return {
    epoch: hasEpoch && digitsEnd > 0 ? evr.slice(0, digitsEnd) : "0",
    pkgver: evr.slice(versionStart, dash >= 0 ? dash : evr.length),
    pkgrel: dash >= 0 ? evr.slice(dash + 1) : undefined,
  };
}

/**
 * Joins a version the way makepkg writes it: the epoch only when it is not
 * zero, the pkgrel only when present.
 */
export function formatVersion(version: ParsedVersion): string {
  const epoch = /^0*$/.test(version.epoch) ? "" : `${version.epoch}:`;
  const pkgrel = version.pkgrel === undefined ? "" : `-${version.pkgrel}`;
  return `${epoch}${version.pkgver}${pkgrel}`;
}

/**
 * Compares two package versions exactly like `alpm_pkg_vercmp` (and so like
 * `vercmp(8)`, `pacman -Syu` and `repo-add`): epochs first, then pkgver, then
 * pkgrel, but the pkgrel only if both versions have one.
 */
export function vercmp(a: string, b: string): VercmpResult {
  const x = cString(a);
  const y = cString(b);
  if (x === y) return 0;
  const left = parseVersion(x);
  const right = parseVersion(y);
  let result = rpmvercmp(left.epoch, right.epoch);
  if (result === 0) {
    result = rpmvercmp(left.pkgver, right.pkgver);
    if (result === 0 && left.pkgrel !== undefined && right.pkgrel !== undefined) {
      result = rpmvercmp(left.pkgrel, right.pkgrel);
    }
  }
  return result;
}

/**
 * RPM's segment comparison. Works on UTF-8 bytes because C does: a non-ASCII
 * character is a separator, and separator runs are compared by byte length.
 */
function rpmvercmp(aText: string, bText: string): VercmpResult {
  if (aText === bText) return 0;
  const a = encoder.encode(aText);
  const b = encoder.encode(bText);
  let one = 0;
  let two = 0;
  let ptr1 = 0;
  let ptr2 = 0;
  while (one < a.length && two < b.length) {
    while (one < a.length && !isAlnum(a[one]!)) one++;
    while (two < b.length && !isAlnum(b[two]!)) two++;
    if (!(one < a.length && two < b.length)) break;
    // Different separator lengths decide on their own ("1.0" vs "1..0").
    if (one - ptr1 !== two - ptr2) return one - ptr1 < two - ptr2 ? -1 : 1;
    ptr1 = one;
    ptr2 = two;
    const isNum = isDigit(a[ptr1]!);
    const inSegment = isNum ? isDigit : isAlpha;
    while (ptr1 < a.length && inSegment(a[ptr1]!)) ptr1++;
    while (ptr2 < b.length && inSegment(b[ptr2]!)) ptr2++;
    // b has a segment of the other kind here: numeric beats alpha.
    if (two === ptr2) return isNum ? 1 : -1;
    if (isNum) {
      while (one < ptr1 && a[one] === 0x30) one++;
      while (two < ptr2 && b[two] === 0x30) two++;
      if (ptr1 - one !== ptr2 - two) return ptr1 - one > ptr2 - two ? 1 : -1;
    }
    const order = compareBytes(a.subarray(one, ptr1), b.subarray(two, ptr2));
    if (order !== 0) return order;
    one = ptr1;
    two = ptr2;
  }
  if (one >= a.length && two >= b.length) return 0;
  // The tail: a remaining alpha segment loses even against nothing ("1.0a" <
  // "1.0"), anything else remaining wins.
  const restA = one < a.length ? a[one]! : 0;
  const restB = two < b.length ? b[two]! : 0;
  return (restA === 0 && !isAlpha(restB)) || isAlpha(restA) ? -1 : 1;
}

/** C strings end at the first NUL; JavaScript strings do not. */
function cString(value: string): string {
  const nul = value.indexOf("\0");
  return nul === -1 ? value : value.slice(0, nul);
}

function compareBytes(a: Uint8Array, b: Uint8Array): VercmpResult {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// ctype in the C locale: ASCII only, as in the vercmp binary.
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}
