import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuilderImages } from "./builder-image.js";
import { startContainer } from "./container.js";
import type { Engine } from "./engine.js";
import { BuilderImageError, LABELS } from "./prepare-image.js";
import { engineSetup, engineSkipReason, removeTestLeftovers } from "./testing/engine-setup.js";

const skip = engineSkipReason();
const OWNER = "builder-image-test";
const NO_MAKEPKG = "localhost/vieter-test-no-makepkg:latest";

describe.skipIf(skip)(`builder images (Podman's Docker API)${skip ? `: ${skip}` : ""}`, () => {
  let engine: Engine;
  let base: string;
  let clock = Date.now();
  const images = (owner = OWNER) => new BuilderImages(engine, { owner, now: () => new Date(clock) });
  const ours = async () =>
    (await engine.docker.listImages({ filters: { label: [`${LABELS.owner}=${OWNER}`] } })).map((i) =>
      i.Id.replace(/^sha256:/, ""),
    );
  /** Output and exit code of `cmd` run as `user` in `image`. */
  const runIn = async (image: string, cmd: string, user = "root") => {
    const lines: string[] = [];
    const run = await startContainer(engine, { image, cmd: ["/bin/sh", "-c", cmd], user, labels: {} }, (_s, t) =>
      lines.push(t),
    );
    const exitCode = await run.exited;
    await run.remove();
    return { exitCode, lines };
  };

  beforeAll(async () => {
    ({ engine, baseImage: base } = await engineSetup());
  }, 15 * 60_000);
  afterAll(async () => {
    if (!engine) return;
    await removeTestLeftovers(engine, OWNER);
    await engine.docker
      .getImage(NO_MAKEPKG)
      .remove({ force: true })
      .catch(() => {});
  });

  it("prepares a labelled builder image from a Debian base that has makepkg but no pacman repos", async () => {
    const lease = await images().acquire(base);
    const { image } = lease;
    lease.release();
    expect(image.name).toBe(`vieter-builder:localhost-vieter-base-debian-bookworm-${clock}`);
    expect(image.pacmanSync).toBe(false);
    const info = await engine.docker.getImage(image.id).inspect();
    expect(info.Config.Labels).toMatchObject({
      [LABELS.role]: "builder-image",
      [LABELS.base]: base,
      [LABELS.created]: String(clock),
      [LABELS.pacmanSync]: "no",
      [LABELS.owner]: OWNER,
    });
    expect(info.Config.Cmd).toEqual(["/bin/bash"]);
    const check = await runIn(
      image.id,
      "id -un builder && git config --system --get safe.directory && ls -ld /home/builder",
    );
    expect(check.exitCode, check.lines.join("\n")).toBe(0);
    expect(check.lines.slice(0, 2)).toEqual(["builder", "*"]);
    expect(check.lines[2]).toMatch(/ builder builder /);
  });

  it("reuses a fresh image, also from a new instance (an agent restart)", async () => {
    const first = await images().acquire(base);
    const second = await images().acquire(base);
    expect(second.image.id).toBe(first.image.id);
    first.release();
    second.release();
  });

  it("shares one preparation between concurrent calls for the same base", async () => {
    clock += 2 * 1440 * 60_000;
    const before = (await ours()).length;
    const manager = images();
    const leases = await Promise.all([manager.acquire(base), manager.acquire(base), manager.acquire(base)]);
    expect(new Set(leases.map((l) => l.image.id)).size).toBe(1);
    for (const lease of leases) lease.release();
    // One new image; the previous one went in the cleanup after preparing.
    expect((await ours()).length).toBe(before);
  });

  it("rebuilds after rebuildAfterMinutes and removes old images only once unused", async () => {
    const manager = images();
    const old = await manager.acquire(base);
    clock += 1440 * 60_000;
    const fresh = await manager.acquire(base);
    expect(fresh.image.id).not.toBe(old.image.id);
    expect(fresh.image.createdAt.getTime()).toBe(clock);
    // Leased: kept. Released but used by a container: the engine's 409 is not an error, it stays.
    expect(await ours()).toContain(old.image.id);
    old.release();
    const user = await startContainer(engine, { image: old.image.id, cmd: ["sleep", "60"], labels: {} }, () => {});
    try {
      expect(await manager.cleanup()).toEqual([]);
      expect(await ours()).toContain(old.image.id);
    } finally {
      await user.remove();
    }
    expect(await manager.cleanup()).toEqual([old.image.id]);
    expect(await ours()).toEqual([fresh.image.id]);
    fresh.release();
  });

  it("refuses a missing base image and one without makepkg, saying why", async () => {
    await expect(images().acquire("localhost/vieter-test-absent:never")).rejects.toThrow(
      /base image localhost\/vieter-test-absent:never is not available/,
    );
    // A base without makepkg: the Debian base with makepkg deleted.
    const strip = await startContainer(engine, { image: base, cmd: ["rm", "/usr/bin/makepkg"], labels: {} }, () => {});
    expect(await strip.exited).toBe(0);
    await strip.container.commit({ repo: "localhost/vieter-test-no-makepkg", tag: "latest" });
    await strip.remove();
    const error = await images()
      .acquire(NO_MAKEPKG)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BuilderImageError);
    expect((error as BuilderImageError).message).toMatch(/failed \(exit code 1\)/);
    expect((error as BuilderImageError).lastLines).toContain("==> vieter: the base image lacks: makepkg");
  });
});
