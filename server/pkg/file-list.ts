/**
 * The package file list as repo-add 6.0.2 writes it into `files`:
 *
 * ```bash
 * bsdtar --exclude='^.*' -tf "$pkgfile" | LC_ALL=C sort -u
 * ```
 *
 * So: every archive entry (directories with their stored trailing `/`)
 * except those whose path starts with `.` (which covers `.PKGINFO`,
 * `.BUILDINFO`, `.MTREE`, `.INSTALL`, `.CHANGELOG`, but also any other
 * top-level dotfile), printed the way `bsdtar -t` prints names, then sorted
 * bytewise and de-duplicated.
 */

const encoder = new TextEncoder();

/**
 * Whether repo-add lists the entry: libarchive's pattern `^.*` is anchored at
 * the start and matches after any leading `./`, so every path whose first
 * real character is `.` is left out.
 */
export function isListedEntry(path: string): boolean {
  return !stripDotSlash(path).startsWith(".");
}

/**
 * The path as libarchive's pattern matcher sees it: a leading `./` (and
 * `././`, `.//`, …) skipped, the way its `pm_slashskip` does.
 */
export function stripDotSlash(path: string): string {
  if (!path.startsWith("./")) return path;
  let start = 1;
  while (
    start < path.length &&
    (path[start] === "/" || (path[start] === "." && (path[start + 1] === "/" || start + 1 === path.length)))
  ) {
    start++;
  }
  return path.slice(start);
}

/**
 * A character bsdtar prints as is in a UTF-8 locale (glibc `iswprint`):
 * everything but control characters, unassigned code points and the line
 * and paragraph separators. Node's Unicode tables may be newer than glibc's,
 * so characters assigned very recently can differ; nothing else does.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cn}\p{Zl}\p{Zp}]/u;

/**
 * Renders an entry path the way `bsdtar -t` prints it (`safe_fprintf`) in a
 * UTF-8 locale: printable characters as they are, `\` as `\\`, and each byte
 * of anything else as a C escape (`\n`, `\t`, … or three-digit octal).
 * repo-add runs bsdtar in the caller's locale; Arch systems use UTF-8 ones.
 * In the C locale every non-ASCII byte would come out as octal instead.
 */
export function escapeEntryPath(path: string): string {
  let out = "";
  for (const char of path) {
    if (char !== "\\" && !NOT_PRINTABLE.test(char) && !isLoneSurrogate(char)) {
      out += char;
    } else {
      for (const byte of encoder.encode(char)) out += escapeByte(byte);
    }
  }
  return out;
}

/** `LC_ALL=C sort -u`: byte order, duplicates removed. */
export function sortUnique(lines: readonly string[]): string[] {
  const bytes = [...new Set(lines)].map((line) => ({ line, key: Buffer.from(line, "utf8") }));
  bytes.sort((a, b) => Buffer.compare(a.key, b.key));
  return bytes.map(({ line }) => line);
}

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0b: "\\v",
  0x0c: "\\f",
  0x0d: "\\r",
  0x5c: "\\\\",
};

/** bsdtar's `bsdtar_expand_char` for a byte of a non-printable character. */
function escapeByte(byte: number): string {
  if (byte >= 0x20 && byte < 0x7f && byte !== 0x5c) return String.fromCharCode(byte);
  return NAMED_ESCAPES[byte] ?? `\\${byte.toString(8).padStart(3, "0")}`;
}

function isLoneSurrogate(char: string): boolean {
  const code = char.charCodeAt(0);
  return char.length === 1 && code >= 0xd800 && code <= 0xdfff;
}
