import { describe, expect, it } from "vitest";
import { TargetKind } from "../../../gen/vieter/v1/target_service_pb.js";
import { archList } from "../../arguments.js";
import { fieldsFromFlags } from "./flags.js";

describe("target flags", () => {
  it("masks exactly the flags given, by their proto names, keeping empty values", () => {
    expect(fieldsFromFlags({ branch: "", arch: ["x86_64"], timeout: 0, baseImage: "img" })).toEqual({
      fields: { branch: "", arches: ["x86_64"], buildTimeoutSeconds: 0, baseImage: "img" },
      mask: ["branch", "arches", "build_timeout_seconds", "base_image"],
    });
    expect(fieldsFromFlags({})).toEqual({ fields: {}, mask: [] });
    expect(fieldsFromFlags({ kind: "url" }).fields.kind).toBe(TargetKind.URL);
  });

  it("accumulates --arch from repeats and comma lists", () => {
    let arches = archList("x86_64, aarch64", undefined);
    arches = archList("armv7h", arches);
    expect(arches).toEqual(["x86_64", "aarch64", "armv7h"]);
    expect(archList("", undefined)).toEqual([]);
  });
});
