/**
 * Which files `repos publish` sends, checked before the first byte goes out:
 * every file must be readable, and a `.sig` named on the command line (a
 * shell glob catches them) travels with its package rather than alone.
 */
import { stat } from "node:fs/promises";
import { UsageError } from "../../errors.js";

/** A package file to upload, with its signature when one lies beside it. */
export interface PlannedUpload {
  readonly path: string;
  readonly size: number;
  readonly signature?: { readonly path: string; readonly size: number };
}

async function regularFileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** The uploads for `files`; UsageError for a missing file or a lone signature. */
export async function planUploads(files: readonly string[]): Promise<PlannedUpload[]> {
  const packages = files.filter((f) => !f.endsWith(".sig"));
  for (const f of files) {
    if (f.endsWith(".sig") && !packages.includes(f.slice(0, -4))) {
      throw new UsageError(`${f} is a signature: publish its package, and the .sig beside it goes along`);
    }
  }
  const plan: PlannedUpload[] = [];
  for (const path of new Set(packages)) {
    const size = await regularFileSize(path);
    if (size === undefined) throw new UsageError(`${path} is not a readable file`);
    const sigSize = await regularFileSize(`${path}.sig`);
    plan.push({ path, size, ...(sigSize === undefined ? {} : { signature: { path: `${path}.sig`, size: sigSize } }) });
  }
  return plan;
}
