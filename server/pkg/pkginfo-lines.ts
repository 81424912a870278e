/**
 * Splits `.PKGINFO` text into key/value pairs exactly as repo-add 6.0.2 reads
 * it, so the values we write into `desc` are the ones repo-add would write:
 *
 * ```bash
 * while read -r line; do
 *   [[ ${line:0:1} = '#' ]] && continue
 *   IFS=' =' read -r var val < <(printf '%s\n' "$line")
 *   declare "$var=${val//+([[:space:]])/ }"
 * ```
 *
 * That is not a plain "split on the first ` = `": bash's field splitting
 * treats `=` as a delimiter and spaces as collapsible whitespace, so
 * `pkgname=foo` and `pkgname foo` work too, a single-word value loses one
 * trailing `=`, and whitespace runs inside values become one space. The tests
 * compare this module with that bash loop on generated lines.
 */

/** One `key = value` line of `.PKGINFO`, after repo-add's splitting and normalisation. */
export interface PkginfoLine {
  /** 1-based line number, for error messages. */
  line: number;
  key: string;
  value: string;
}

/**
 * Characters bash's `[[:space:]]` matches in a UTF-8 locale (glibc's
 * `iswspace`): ASCII whitespace plus the Unicode spaces that are not
 * no-break spaces. repo-add normally runs in such a locale; in the C locale
 * only the ASCII ones would count.
 */
const SPACE_RUN = /[\t\n\v\f\r \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+/g;

/**
 * Splits `.PKGINFO` text into lines and each line into key and value like
 * repo-add. Comment lines (first non-blank character `#`) are skipped; blank
 * lines yield an empty key, which callers ignore like unknown keys.
 * The text is expected to end with a newline (see {@link hasUnterminatedLine}).
 */
export function splitPkginfo(text: string): PkginfoLine[] {
  const lines = text.split("\n");
  // `read` does not return a final line without "\n"; callers reject such
  // text, and this keeps the split consistent with repo-add either way.
  lines.pop();
  const result: PkginfoLine[] = [];
  lines.forEach((raw, index) => {
    // `read -r line` with the default IFS trims spaces and tabs at both ends.
    const line = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (line.startsWith("#")) return;
    const [key, value] = readKeyValue(line);
    result.push({ line: index + 1, key, value: value.replace(SPACE_RUN, " ") });
  });
  return result;
}

/** Whether the text's last line lacks its newline (repo-add silently drops that line). */
export function hasUnterminatedLine(text: string): boolean {
  return text !== "" && !text.endsWith("\n");
}

/**
 * `IFS=' =' read -r var val`: bash's `read` field splitting with IFS
 * whitespace " " and the non-whitespace delimiter "=". The first word goes to
 * `var`; `val` gets the rest, except that a lone last word is taken without
 * its trailing delimiter (bash's "exactly as many fields as variables" case).
 */
function readKeyValue(line: string): [string, string] {
  let start = 0;
  while (line[start] === " ") start++;
  if (start >= line.length) return ["", ""];
  const first = nextWord(line, start);
  const rest = first.next;
  if (rest >= line.length) return [first.word, ""];
  const second = nextWord(line, rest);
  if (second.next >= line.length) return [first.word, second.word];
  return [first.word, line.slice(rest).replace(/ +$/, "")];
}

/**
 * bash's `get_word_from_string` for IFS " =": the word up to the next
 * delimiter, then the delimiter itself (spaces, at most one "=" after a
 * space, more spaces). `start` never points at a space here.
 */
function nextWord(s: string, start: number): { word: string; next: number } {
  let end = start;
  while (end < s.length && s[end] !== " " && s[end] !== "=") end++;
  let next = end;
  if (next < s.length) {
    const whitespaceDelimiter = s[next] === " ";
    next++;
    while (s[next] === " ") next++;
    if (whitespaceDelimiter && s[next] === "=") {
      next++;
      while (s[next] === " ") next++;
    }
  }
  return { word: s.slice(start, end), next };
}
