/**
 * `vieter schedule` as a child process: the server evaluates the expression
 * in its own time zone and the CLI prints the times in local time (here
 * Asia/Kolkata, +05:30, so a server in UTC firing at 03:00 shows 08:30).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../setup/server.js";
import { type CliRunner, createCliRunner, rawRows } from "./setup/run-cli.js";

let srv: TestServer;
let cli: CliRunner;
beforeAll(async () => {
  srv = await startTestServer({ time_zone: "UTC" });
  cli = await createCliRunner(srv);
});
afterAll(async () => {
  await srv.stop();
  await cli.cleanup();
});

describe("vieter schedule", () => {
  it("joins the words and prints the next times in local time, in all three modes", async () => {
    const [table, raw, json] = await Promise.all([
      cli.run(["schedule", "0", "3"]),
      cli.run(["schedule", "0 3", "--count", "3", "-r"]),
      cli.run(["schedule", "0", "3", "-c", "2", "--json"]),
    ]);
    expect(table.code).toBe(0);
    // ICU may spell the zone by its old name.
    expect(table.stderr).toMatch(/^"0 3" runs in the server's time zone, UTC; shown in Asia\/(Kolkata|Calcutta):\n$/);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("LOCAL TIME");
    expect(lines.slice(1)).toHaveLength(5);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d\d-\d\d 08:30:00$/);

    expect(raw.stderr).toBe("");
    expect(rawRows(raw.stdout)).toHaveLength(3);
    expect(raw.stdout).toBe(
      lines
        .slice(1, 4)
        .map((l) => `${l}\n`)
        .join(""),
    );

    const doc = JSON.parse(json.stdout);
    expect(doc.expression).toBe("0 3");
    expect(doc.timeZone).toBe("UTC");
    expect(doc.occurrences).toHaveLength(2);
    for (const t of doc.occurrences) expect(t).toMatch(/^\d{4}-\d\d-\d\dT03:00:00\.000Z$/);
    // One day apart, the first within the next 24 hours.
    const [a, b] = doc.occurrences.map((t: string) => Date.parse(t));
    expect(b - a).toBe(86_400_000);
    expect(a - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it("reports an invalid expression with the server's message, and a bad --count locally", async () => {
    const [invalid, count] = await Promise.all([
      cli.run(["schedule", "0", "24"]),
      cli.run(["schedule", "0", "3", "--count", "0"]),
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe("");
    expect(invalid.stderr).toMatch(/^error: .*24.* \(invalid_argument\)\n$/);
    expect(count.code).toBe(2);
    expect(count.stderr).toContain("must be a whole number from 1 to 100");
  });
});
