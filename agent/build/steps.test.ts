import { describe, expect, it } from "vitest";
import { StepTracker, stepLine } from "./steps.js";

function track(lines: string[]): StepTracker {
  const tracker = new StepTracker();
  for (const line of lines) tracker.observe(line);
  return tracker;
}

describe("StepTracker", () => {
  it("attributes a failure to the last step marker", () => {
    expect(track([stepLine("setup"), stepLine("fetch"), "Cloning…"]).failureStep()).toBe("fetch");
    expect(track([stepLine("setup"), stepLine("fetch"), stepLine("prepare"), stepLine("build")]).failureStep()).toBe(
      "build",
    );
  });

  it("calls a failure before any marker, or in setup, an image failure", () => {
    expect(track([]).failureStep()).toBe("image");
    expect(track(["bash: not found", stepLine("setup")]).failureStep()).toBe("image");
  });

  it("ignores markers that go backwards or are not exact (a PKGBUILD echoing them)", () => {
    const tracker = track([
      stepLine("build"),
      stepLine("fetch"),
      "==> vieter: step nonsense",
      " ==> vieter: step setup",
    ]);
    expect(tracker.step).toBe("build");
  });

  it("reads the skip reason", () => {
    expect(track(["==> vieter: skip: already in r/x86_64: a-1-1"]).skipReason).toBe("already in r/x86_64: a-1-1");
  });
});
