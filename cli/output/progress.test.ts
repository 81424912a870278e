import { describe, expect, it } from "vitest";
import { startProgress } from "./progress.js";

const MiB = 1024 * 1024;

describe("upload progress", () => {
  it("prints a line at each 25 % step when stderr is not a terminal", () => {
    let text = "";
    const p = startProgress("foo.pkg.tar.zst", 8 * MiB, { stream: { write: (s) => (text += s) }, tty: false });
    for (let sent = MiB; sent <= 8 * MiB; sent += MiB) p.update(sent);
    p.end();
    expect(text).toBe(
      "foo.pkg.tar.zst: 25% (2.0 MiB of 8.0 MiB)\n" +
        "foo.pkg.tar.zst: 50% (4.0 MiB of 8.0 MiB)\n" +
        "foo.pkg.tar.zst: 75% (6.0 MiB of 8.0 MiB)\n" +
        "foo.pkg.tar.zst: 100% (8.0 MiB of 8.0 MiB)\n",
    );
  });

  it("redraws one bar on a terminal at most every 100 ms, always at the end, then clears it", () => {
    const writes: string[] = [];
    let now = 0;
    const p = startProgress("foo.pkg.tar.zst", 4 * MiB, {
      stream: { write: (s) => writes.push(s) },
      tty: true,
      columns: 100,
      now: () => now,
    });
    p.update(MiB);
    now = 50;
    p.update(2 * MiB); // too soon: skipped
    now = 150;
    p.update(3 * MiB);
    p.update(4 * MiB); // the end is always drawn
    p.end();
    expect(writes).toEqual([
      "\r\x1b[Kfoo.pkg.tar.zst [######------------------]  25% 1.0 MiB/4.0 MiB",
      "\r\x1b[Kfoo.pkg.tar.zst [##################------]  75% 3.0 MiB/4.0 MiB",
      "\r\x1b[Kfoo.pkg.tar.zst [########################] 100% 4.0 MiB/4.0 MiB",
      "\r\x1b[K",
    ]);
  });

  it("shortens a long name to fit a narrow terminal, keeping its start", () => {
    const writes: string[] = [];
    const p = startProgress("a-very-long-package-name-1.0-1-x86_64.pkg.tar.zst", 10, {
      stream: { write: (s) => writes.push(s) },
      tty: true,
      columns: 60,
    });
    p.update(10);
    expect(writes[0]).toBe("\r\x1b[Ka-very-long-pack… [########################] 100% 10 B/10 B");
    expect(writes[0]!.length - "\r\x1b[K".length).toBeLessThan(60); // without the escape codes, it fits
  });
});
