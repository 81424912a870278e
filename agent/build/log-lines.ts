/**
 * Output of a container as lines: split across chunk boundaries (UTF-8 safe),
 * capped in length so a program printing without newlines cannot grow memory,
 * and the last few kept for the failure record.
 */
import { StringDecoder } from "node:string_decoder";

/** Which output a line came from; `agent` lines are written by the agent about the build. */
export type LogStream = "stdout" | "stderr" | "agent";

/** One line of a build's log. */
export interface LogLine {
  readonly stream: LogStream;
  readonly text: string;
  readonly at: Date;
}

/** Longer lines are cut here and continue on the next line. */
export const MAX_LINE = 64 * 1024;

/** Turns the chunks of one stream into lines (without their `\n`; a trailing `\r` is dropped). */
export class LineSplitter {
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";

  constructor(readonly emit: (text: string) => void) {}

  /** Feeds a chunk; emits every line it completes. */
  push(chunk: Buffer): void {
    this.#pending += this.#decoder.write(chunk);
    let newline: number;
    while ((newline = this.#pending.indexOf("\n")) >= 0) {
      this.#line(this.#pending.slice(0, newline));
      this.#pending = this.#pending.slice(newline + 1);
    }
    while (this.#pending.length >= MAX_LINE) {
      this.emit(this.#pending.slice(0, MAX_LINE));
      this.#pending = this.#pending.slice(MAX_LINE);
    }
  }

  /** Emits what is left after the stream ended (a last line without `\n`). */
  end(): void {
    this.#pending += this.#decoder.end();
    if (this.#pending !== "") this.#line(this.#pending);
    this.#pending = "";
  }

  #line(text: string): void {
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    for (let i = 0; i < line.length || i === 0; i += MAX_LINE) this.emit(line.slice(i, i + MAX_LINE));
  }
}

/** The last `size` lines seen. */
export class LastLines {
  readonly #lines: string[] = [];

  constructor(readonly size = 50) {}

  add(text: string): void {
    this.#lines.push(text);
    if (this.#lines.length > this.size) this.#lines.shift();
  }

  /** A copy, oldest first. */
  get lines(): string[] {
    return [...this.#lines];
  }
}
