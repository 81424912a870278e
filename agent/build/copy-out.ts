/**
 * Copies the packages a build left in the container to the agent's disk.
 * The archive comes from code we do not trust (the PKGBUILD ran in there), so
 * only regular files named like packages, directly in the out dir, are
 * written, under their base name, into a directory of the agent's choosing.
 */
import type Docker from "dockerode";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { finished } from "node:stream/promises";
import { Parser, type ReadEntry } from "tar";

// makepkg's PKGEXT: .pkg.tar, .pkg.tar.zst, .pkg.tar.gz, .pkg.tar.xz, ...
const PACKAGE_FILE = /^[^/]+\.pkg\.tar(\.[a-z0-9]+)?$/;

/**
 * Writes the packages in `containerDir` into `hostDir` (created if needed)
 * and returns their paths, sorted. Refuses more than `maxBytes` in total.
 */
export async function copyPackagesOut(
  container: Docker.Container,
  containerDir: string,
  hostDir: string,
  maxBytes = 8 * 1024 ** 3,
): Promise<string[]> {
  await mkdir(hostDir, { recursive: true });
  const archive = await container.getArchive({ path: containerDir });
  const written: string[] = [];
  const writes: Promise<void>[] = [];
  let total = 0;
  const parser = new Parser({
    strict: true,
    onReadEntry(entry: ReadEntry) {
      // Entries are `<dir name>/<file>`; anything deeper, or not a plain file, is ignored.
      const [top, name, ...rest] = entry.path.split("/");
      if (entry.type !== "File" || !top || !name || rest.length > 0 || !PACKAGE_FILE.test(name)) {
        entry.resume();
        return;
      }
      total += entry.size ?? 0;
      if (total > maxBytes) {
        entry.resume();
        parser.abort(new Error(`the packages exceed ${maxBytes} bytes`));
        return;
      }
      const path = join(hostDir, basename(name));
      const out = createWriteStream(path);
      entry.pipe(out);
      written.push(path);
      writes.push(finished(out));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("abort", reject);
    parser.on("error", reject);
    archive.on("error", reject);
    archive.pipe(parser as unknown as NodeJS.WritableStream);
  });
  await Promise.all(writes);
  return written.sort();
}
