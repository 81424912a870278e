import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../lib/config.js";
import type { ClientSettings } from "./config.js";
import { CliError, EXIT, HttpStatusError, UsageError, explain, noteProcedure } from "./errors.js";

const settings: ClientSettings = {
  address: "http://build:8000",
  addressSource: "VIETER_ADDRESS",
  apiKey: "k",
  apiKeySource: "config file /home/me/.vieterrc",
};

function networkError(code: string): Error {
  return new ConnectError(
    "fetch failed",
    Code.Unavailable,
    undefined,
    undefined,
    Object.assign(new Error(code), { code }),
  );
}

describe("explain", () => {
  it("shows the server's message with its code, exit 1", () => {
    expect(explain(new ConnectError("target 9 does not exist", Code.NotFound), settings)).toEqual({
      message: "target 9 does not exist (not_found)",
      exitCode: EXIT.failed,
    });
  });

  it("names the RPC a server does not implement", () => {
    const err = new ConnectError("not implemented", Code.Unimplemented);
    noteProcedure(err, "vieter.v1.JobService/BuildTarget");
    expect(explain(err, settings).message).toBe(
      "the Vieter server at http://build:8000 does not support vieter.v1.JobService/BuildTarget yet " +
        "(unimplemented); it may be older than this client",
    );
  });

  it("names the address and its source when the server cannot be reached, exit 3", () => {
    for (const [code, reason] of [
      ["ECONNREFUSED", "connection refused"],
      ["ENOTFOUND", "host not found"],
    ]) {
      expect(explain(networkError(code!), settings)).toEqual({
        message: `cannot reach the Vieter server at http://build:8000 (${reason}); is it running? The address comes from VIETER_ADDRESS.`,
        exitCode: EXIT.connection,
      });
    }
  });

  it("names where the key came from when it is refused, over RPC and plain HTTP", () => {
    const line = "the Vieter server at http://build:8000 refused the API key from config file /home/me/.vieterrc";
    expect(explain(new ConnectError("no", Code.Unauthenticated), settings)).toEqual({
      message: `${line} (unauthenticated)`,
      exitCode: EXIT.connection,
    });
    expect(explain(new HttpStatusError(401, "missing or invalid API key"), settings)).toEqual({
      message: line,
      exitCode: EXIT.connection,
    });
    expect(
      explain(new ConnectError("an agent credential cannot call X", Code.PermissionDenied), settings).message,
    ).toBe(
      "an agent credential cannot call X (permission_denied); the key from config file /home/me/.vieterrc is not the server's admin key",
    );
  });

  it("passes our own failures through and treats config problems as usage errors", () => {
    expect(explain(new CliError("refused"), settings)).toEqual({ message: "refused", exitCode: 1 });
    expect(explain(new UsageError("bad"), undefined)).toEqual({ message: "bad", exitCode: 2 });
    expect(explain(new ConfigError("config: x"), undefined)).toEqual({ message: "config: x", exitCode: 2 });
    expect(explain(new HttpStatusError(413, "too large"), settings)).toEqual({
      message: "too large (HTTP 413)",
      exitCode: 1,
    });
    expect(explain(new TypeError("boom"), settings)).toEqual({ message: "unexpected error: boom", exitCode: 1 });
  });
});
