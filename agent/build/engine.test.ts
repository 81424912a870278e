import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeBuildContainers, startContainer } from "./container.js";
import { createEngine, type Engine } from "./engine.js";
import { engineSetup, engineSkipReason } from "./testing/engine-setup.js";

const skip = engineSkipReason();
const LABEL = "org.vieter.test=engine";

describe.skipIf(skip)(`container engine through Podman's Docker API${skip ? `: ${skip}` : ""}`, () => {
  let engine: Engine;
  let base: string;
  let socket: string;
  const run = (
    cmd: string,
    options: {
      files?: { path: string; content: string; mode: number }[];
      memoryBytes?: number;
      nanoCpus?: number;
    } = {},
  ) => {
    const lines: { stream: string; text: string }[] = [];
    return startContainer(
      engine,
      {
        image: base,
        cmd: ["/bin/bash", "-c", cmd],
        labels: { "org.vieter.test": "engine" },
        network: "none",
        ...options,
      },
      (stream, text) => lines.push({ stream, text }),
    ).then((container) => ({ container, lines }));
  };

  beforeAll(async () => {
    ({ engine, baseImage: base, socket } = await engineSetup());
  }, 15 * 60_000);
  afterAll(async () => {
    if (!engine) return;
    const left = await engine.docker.listContainers({ all: true, filters: { label: [LABEL] } });
    for (const c of left) await engine.docker.getContainer(c.Id).remove({ force: true });
  });

  it("connects by socket path or unix:// URL and reports what it is", async () => {
    const byUrl = createEngine({ socket: `unix://${socket}` });
    await byUrl.ping();
    const version = await byUrl.version();
    expect(version.name).toBe("podman");
    expect(version.apiVersion).toMatch(/^\d+\.\d+/);
  });

  it("inspects before pulling: a present image needs no registry, an absent one fails with the pull's error", async () => {
    await engine.ensureImage(base);
    await expect(engine.ensureImage("localhost/vieter-test-absent:never")).rejects.toThrow(
      /^pulling localhost\/vieter-test-absent:never failed: /,
    );
  });

  it("streams every line of a chatty container from an attach made before start", async () => {
    // Following the logs loses lines on Podman; 20,000 lines on two streams must all arrive, in order.
    const { container, lines } = await run(
      "for i in $(seq 1 10000); do echo out $i; echo err $i >&2; done; printf 'no newline'",
    );
    expect(await container.exited).toBe(0);
    await container.remove();
    const out = lines.filter((l) => l.stream === "stdout").map((l) => l.text);
    const err = lines.filter((l) => l.stream === "stderr").map((l) => l.text);
    expect(out).toEqual([...Array.from({ length: 10000 }, (_, i) => `out ${i + 1}`), "no newline"]);
    expect(err).toEqual(Array.from({ length: 10000 }, (_, i) => `err ${i + 1}`));
  });

  it("puts files in before start, applies both ulimits and passes the exit code through", async () => {
    const { container, lines } = await run(
      "cat /vieter/x/hello.txt; stat -c %a /vieter/x/hello.txt; ulimit -n; ulimit -u; exit 7",
      {
        files: [{ path: "/vieter/x/hello.txt", content: "hello ✓\n", mode: 0o640 }],
      },
    );
    expect(await container.exited).toBe(7);
    await container.remove();
    expect(lines.map((l) => l.text)).toEqual(["hello ✓", "640", "1024", "1000"]);
    expect(await engine.docker.listContainers({ all: true, filters: { label: [LABEL] } })).toEqual([]);
  });

  it("gives a container the configured memory and CPU limits", async () => {
    const { container } = await run("sleep 30", {
      memoryBytes: 256 * 1024 * 1024,
      nanoCpus: 1_500_000_000,
    });
    const info = await container.container.inspect();
    await container.remove();
    expect(info.HostConfig.Memory).toBe(256 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(1_500_000_000);
  });

  it("removes the build containers and stage images an earlier agent left behind, and only those", async () => {
    const start = (role: string) =>
      startContainer(
        engine,
        {
          image: base,
          cmd: ["sleep", "60"],
          labels: { "org.vieter.test": "engine", "org.vieter.role": role },
          network: "none",
        },
        () => {},
      );
    const commit = async (from: { container: { commit(o: object): Promise<unknown> } }, role: string) => {
      const changes = [`LABEL org.vieter.test="engine"`, `LABEL org.vieter.role="${role}"`];
      const { Id } = (await from.container.commit({ changes })) as { Id: string };
      return Id.replace(/^sha256:/, "");
    };
    const orphan = await start("build");
    const other = await start("prepare");
    const stage = await commit(orphan, "build");
    const kept = await commit(other, "builder-image");
    try {
      const removed = await removeBuildContainers(engine, LABEL);
      expect(removed.map((id) => id.replace(/^sha256:/, ""))).toEqual([orphan.container.id, stage]);
      const left = await engine.docker.listContainers({ all: true, filters: { label: [LABEL] } });
      expect(left.map((c) => c.Id)).toEqual([other.container.id]);
      const images = await engine.docker.listImages({ filters: { label: [LABEL] } });
      expect(images.map((i) => i.Id.replace(/^sha256:/, ""))).toEqual([kept]);
    } finally {
      await other.remove();
      await engine.docker
        .getImage(kept)
        .remove({ force: true })
        .catch(() => {});
    }
  });
});
