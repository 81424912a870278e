import { describe, expect, it } from "vitest";
import { applyHeapPolicy } from "./heap-policy.js";

describe("applyHeapPolicy", () => {
  it("leaves a growth given to node alone, on the command line or in NODE_OPTIONS", () => {
    expect(applyHeapPolicy(["--heap-growing-percent=30"], "")).toBe(false);
    expect(applyHeapPolicy([], "--max-old-space-size=512 --heap_growing_percent=30")).toBe(false);
  });

  it("sets the server's growth otherwise", () => {
    expect(applyHeapPolicy(["--enable-source-maps"], "--max-old-space-size=512")).toBe(true);
  });
});
