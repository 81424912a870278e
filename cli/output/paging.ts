/** The hint under a page of a longer list. */
import type { Output } from "./output.js";

/** Tells people (table mode only) that more rows match than were shown, and how to see them. */
export function notePaging(output: Output, offset: number, shown: number, total: number, noun: string): void {
  if (offset + shown >= total || shown === 0) return;
  output.note(`Showing ${offset + 1}-${offset + shown} of ${total} ${noun}; use --offset ${offset + shown} for more.`);
}
