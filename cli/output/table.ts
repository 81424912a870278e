/**
 * Plain-text layouts: aligned tables and `label: value` records for people,
 * tab-separated lines without a header for scripts (as Vieter's `-r`).
 */

/** One column of a list. */
export interface Column<T> {
  /** Heading in table mode (printed in upper case). */
  readonly header: string;
  /** The cell people see. */
  readonly cell: (row: T) => string;
  /** The field scripts see in raw mode; defaults to `cell`. */
  readonly raw?: (row: T) => string;
  /** Numbers read better right-aligned. */
  readonly align?: "left" | "right";
}

/** One line of a record: label, value for people, value for scripts (defaults to the first). */
export type Field = readonly [label: string, value: string, raw?: string];

/** Tabs and line breaks inside a value would break both layouts. */
function flat(value: string): string {
  return value.replace(/[\t\r\n]+/g, " ");
}

/** Aligned columns with an upper-case header, two spaces apart, no trailing blanks. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => flat(c.cell(row))));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (columns[i]!.align === "right" ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...cells.map(line)].map((l) => `${l}\n`).join("");
}

/** One tab-separated line per row, no header. */
export function renderRawRows<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  return rows.map((row) => `${columns.map((c) => flat((c.raw ?? c.cell)(row))).join("\t")}\n`).join("");
}

/** `label: value` lines with the values aligned. */
export function renderRecord(fields: readonly Field[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length + 1));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${flat(value)}`.trimEnd() + "\n").join("");
}

/** `label<TAB>value` lines. */
export function renderRawRecord(fields: readonly Field[]): string {
  return fields.map(([label, value, raw]) => `${label}\t${flat(raw ?? value)}\n`).join("");
}
