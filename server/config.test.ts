import { describe, expect, it } from "vitest";
import { ConfigError } from "../lib/config.js";
import { loadServerConfig } from "./config.js";

const load = (env: Record<string, string>) => loadServerConfig(undefined, false, env);

describe("server config", () => {
  it("has Vieter's defaults", () => {
    expect(load({})).toMatchObject({
      port: 8000,
      data_dir: "data",
      default_arch: "x86_64",
      global_schedule: "0 3",
      log_removal_schedule: "0 0",
      max_log_age: 0,
      default_build_timeout: 3600,
      base_image: "archlinux:base-devel",
      collect_metrics: false,
      time_zone: "UTC",
      max_transient_retries: 2,
      max_lost_requeues: 1,
    });
  });

  it.each([
    [{ VIETER_LOG_LEVEL: "debug" }, "log_level", "DEBUG"],
    [{ VIETER_GLOBAL_SCHEDULE: "0 3-7/4,7-19" }, "global_schedule", "0 3-7/4,7-19"],
    [{ VIETER_TIME_ZONE: "Europe/Brussels" }, "time_zone", "Europe/Brussels"],
    [{ VIETER_MAX_TRANSIENT_RETRIES: "0" }, "max_transient_retries", 0],
    [{ VIETER_MAX_LOST_REQUEUES: "0" }, "max_lost_requeues", 0],
    [{ VIETER_MAX_LOST_REQUEUES: "100" }, "max_lost_requeues", 100],
  ])("accepts %o", (env, key, value) => {
    expect(load(env)[key as "log_level"]).toBe(value);
  });

  it.each([
    [{ VIETER_DEFAULT_ARCH: "any" }, /default_arch "any".*not any/],
    [{ VIETER_DEFAULT_ARCH: "x86-64" }, /default_arch "x86-64"/],
    [{ VIETER_GLOBAL_SCHEDULE: "0 0 30 2" }, /global_schedule "0 0 30 2"/],
    [{ VIETER_LOG_REMOVAL_SCHEDULE: "1 1/2/3" }, /log_removal_schedule "1 1\/2\/3"/],
    [{ VIETER_TIME_ZONE: "Mars/Olympus" }, /time_zone "Mars\/Olympus".*IANA/],
    [{ VIETER_MAX_LOG_AGE: "-1" }, /max_log_age "-1"/],
    [{ VIETER_DEFAULT_BUILD_TIMEOUT: "0" }, /default_build_timeout "0"/],
    [{ VIETER_MAX_TRANSIENT_RETRIES: "-1" }, /max_transient_retries "-1"/],
    [{ VIETER_MAX_TRANSIENT_RETRIES: "101" }, /max_transient_retries "101"/],
    [{ VIETER_MAX_TRANSIENT_RETRIES: "2.5" }, /max_transient_retries "2.5"/],
    [{ VIETER_MAX_TRANSIENT_RETRIES: "lots" }, /max_transient_retries "lots"/],
    [{ VIETER_MAX_LOST_REQUEUES: "-1" }, /max_lost_requeues "-1"/],
    [{ VIETER_MAX_LOST_REQUEUES: "101" }, /max_lost_requeues "101"/],
    [{ VIETER_MAX_LOST_REQUEUES: "1.5" }, /max_lost_requeues "1.5"/],
    [{ VIETER_MAX_LOST_REQUEUES: "" }, /max_lost_requeues ""/],
    [{ VIETER_MAX_LOST_REQUEUES: "once" }, /max_lost_requeues "once"/],
    [{ VIETER_TLS_CERT_FILE: "/x.pem" }, /tls_cert_file and tls_key_file must be set together/],
    [{ VIETER_AGENT_TOKENS: "builder" }, /agent_tokens \(secret\).*entry 1 must be name:token/],
    [{ VIETER_AGENT_TOKENS: "a:0123456789abcdef,a:fedcba9876543210" }, /agent name a appears twice/],
  ])("refuses %o in one line", (env, message) => {
    let err: unknown;
    try {
      load(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("never prints an agent token", () => {
    expect(() => load({ VIETER_AGENT_TOKENS: "ok:short-secret" })).toThrow(ConfigError);
    try {
      load({ VIETER_AGENT_TOKENS: "ok:short-secret" });
    } catch (e) {
      expect((e as Error).message).not.toContain("short-secret");
    }
  });

  it("reads agent tokens as a map", () => {
    expect(load({ VIETER_AGENT_TOKENS: "b1:0123456789abcdef, b2:fedcba9876543210" }).agent_tokens).toEqual(
      new Map([
        ["b1", "0123456789abcdef"],
        ["b2", "fedcba9876543210"],
      ]),
    );
  });
});
