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

  it("calls a failure of the isolated build container before its marker a build failure", () => {
    // That container runs only the build step; the first container's last marker was version-check.
    expect(new StepTracker("build").failureStep()).toBe("build");
    expect(track(["runuser: cannot set groups: Operation not permitted"]).failureStep()).toBe("image");
    const build = new StepTracker("build");
    build.observe("bash: line 1: cd: repo: No such file or directory");
    expect(build.failureStep()).toBe("build");
    build.observe(stepLine("build"));
    expect(build.failureStep()).toBe("build");
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
