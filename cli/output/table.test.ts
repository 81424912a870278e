import { describe, expect, it } from "vitest";
import { createOutput } from "./output.js";
import { type Column, renderRawRecord, renderRawRows, renderRecord, renderTable } from "./table.js";

interface Row {
  id: number;
  name: string;
}
const columns: Column<Row>[] = [
  { header: "id", cell: (r) => String(r.id), align: "right" },
  { header: "name", cell: (r) => r.name, raw: (r) => `raw:${r.name}` },
];

describe("layouts", () => {
  it("aligns table columns under an upper-case header without trailing blanks", () => {
    expect(
      renderTable(
        [
          { id: 7, name: "a" },
          { id: 12, name: "longer" },
        ],
        columns,
      ),
    ).toBe("ID  NAME\n 7  a\n12  longer\n");
  });

  it("prints raw rows tab-separated, using the raw value and flattening tabs and newlines", () => {
    expect(renderRawRows([{ id: 1, name: "x\ty\nz" }], columns)).toBe("1\traw:x y z\n");
  });

  it("aligns record values and keeps raw values for scripts", () => {
    const fields = [
      ["id", "1"],
      ["branch", "(default branch)", ""],
    ] as const;
    expect(renderRecord(fields)).toBe("id:      1\nbranch:  (default branch)\n");
    expect(renderRawRecord(fields)).toBe("id\t1\nbranch\t\n");
  });
});

describe("output modes", () => {
  const capture = (mode: "table" | "raw" | "json") => {
    const out = { stdout: "", stderr: "" };
    const output = createOutput(mode, {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    });
    return { out, output };
  };

  it("says so when a list is empty in table mode, prints nothing raw, and the document in JSON", () => {
    for (const [mode, expected] of [
      ["table", "Nothing.\n"],
      ["raw", ""],
      ["json", '{\n  "rows": []\n}\n'],
    ] as const) {
      const { out, output } = capture(mode);
      output.list([], columns, { rows: [] }, "Nothing.");
      output.note("a remark");
      expect(out.stdout).toBe(expected);
      expect(out.stderr).toBe(mode === "table" ? "a remark\n" : "");
    }
  });

  it("prints an action's sentence, its minimal raw line (or nothing), or its JSON", () => {
    const table = capture("table");
    table.output.done("Target added with id 3", "3", { id: 3 });
    expect(table.out.stdout).toBe("Target added with id 3\n");
    const raw = capture("raw");
    raw.output.done("Target added with id 3", "3", { id: 3 });
    raw.output.done("Removed.", undefined, {});
    expect(raw.out.stdout).toBe("3\n");
    const json = capture("json");
    json.output.done("Target added with id 3", "3", { id: 3, at: new Date(0) });
    expect(JSON.parse(json.out.stdout)).toEqual({ id: 3, at: "1970-01-01T00:00:00.000Z" });
  });

  it("prints stream events as lines for people, raw lines, or one compact JSON object per line", () => {
    for (const [mode, expected] of [
      ["table", "job 1 running\njob 1 succeeded\n"],
      ["raw", "1\trunning\n1\tsucceeded\n"],
      ["json", '{"id":1,"state":"running"}\n{"id":1,"state":"succeeded"}\n'],
    ] as const) {
      const { out, output } = capture(mode);
      for (const state of ["running", "succeeded"]) output.event(`job 1 ${state}`, `1\t${state}`, { id: 1, state });
      expect(out.stdout).toBe(expected);
    }
  });
});
