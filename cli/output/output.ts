/**
 * The three output modes every command supports: readable tables (default),
 * `-r/--raw` (tab-separated, no header, as Vieter) and `--json` (one JSON
 * document with stable camelCase names). Commands describe their data once;
 * this decides how it is printed. Data goes to stdout, remarks to stderr.
 */
import { type Column, type Field, renderRawRecord, renderRawRows, renderRecord, renderTable } from "./table.js";

/** How results are printed. */
export type OutputMode = "table" | "raw" | "json";

/** Where output goes; process streams in the binary, buffers in tests. */
export interface OutputStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** What commands print through. */
export interface Output {
  readonly mode: OutputMode;
  /** A list: a table (or `empty` when there are no rows), raw rows, or `json`. */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], json: unknown, empty: string): void;
  /** One record: `label: value` lines, `label<TAB>value` lines, or `json`. */
  record(fields: readonly Field[], json: unknown): void;
  /** The outcome of an action: a sentence, a minimal raw line (undefined prints nothing), or `json`. */
  done(sentence: string, raw: string | undefined, json: unknown): void;
  /** A remark for people (table mode only), on stderr so stdout stays data. */
  note(text: string): void;
  /** Text printed as is in table and raw mode (e.g. a file list); nothing in json mode. */
  text(text: string): void;
  /** The JSON document, in json mode only (for commands that print lines as they go). */
  document(json: unknown): void;
  /**
   * One item of a stream as it arrives (`jobs watch`): a line for people, a
   * raw line, or one compact JSON document per line (JSON Lines).
   */
  event(line: string, raw: string, json: unknown): void;
}

/** Creates the output for `mode`. */
export function createOutput(mode: OutputMode, streams: OutputStreams): Output {
  const out = (text: string): void => void streams.stdout.write(text);
  const json = (value: unknown): void => out(`${JSON.stringify(value, null, 2)}\n`);
  return {
    mode,
    list(rows, columns, document, empty) {
      if (mode === "json") json(document);
      else if (mode === "raw") out(renderRawRows(rows, columns));
      else out(rows.length === 0 ? `${empty}\n` : renderTable(rows, columns));
    },
    record(fields, document) {
      if (mode === "json") json(document);
      else out(mode === "raw" ? renderRawRecord(fields) : renderRecord(fields));
    },
    done(sentence, raw, document) {
      if (mode === "json") json(document);
      else if (mode === "table") out(`${sentence}\n`);
      else if (raw !== undefined) out(`${raw}\n`);
    },
    note(text) {
      if (mode === "table") streams.stderr.write(`${text}\n`);
    },
    text(text) {
      if (mode !== "json") out(text);
    },
    document(document) {
      if (mode === "json") json(document);
    },
    event(line, raw, document) {
      out(mode === "json" ? `${JSON.stringify(document)}\n` : `${mode === "raw" ? raw : line}\n`);
    },
  };
}
