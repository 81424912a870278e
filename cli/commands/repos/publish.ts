/**
 * `vieter repos publish <repo> <files…>`: uploads package files through the
 * plain publish route, each followed by its detached signature
 * (`<file>.sig`) when one lies beside it. A file the server refuses is
 * reported and the rest still go; an unreachable server or a wrong key stops
 * at once.
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { invalidNameMessage, repoNameProblem } from "../../../lib/names.js";
import type { CliContext } from "../../context.js";
import { EXIT, UsageError, explain } from "../../errors.js";
import { startProgress } from "../../output/progress.js";
import { examples } from "../help.js";
import { type PlannedUpload, planUploads } from "./publish-plan.js";
import { uploadFile } from "./upload.js";

interface Published {
  file: string;
  name: string;
  version: string;
  archs: string[];
  signed: boolean;
}

/** Registers `repos publish`. */
export function registerReposPublish(repos: Command, ctx: CliContext): void {
  repos
    .command("publish")
    .description(
      "Upload package files to a repository; a <file>.sig beside a file is uploaded as its signature. " +
        "Progress goes to stderr (a bar on a terminal); stdout gets one line per published package " +
        "(with -r: name, version, arches, signed).",
    )
    .argument("<repo>", "the repository to publish to (created on first publish)")
    .argument("<files...>", "package files (*.pkg.tar.zst, .xz, .gz or .tar)")
    .addHelpText(
      "after",
      examples(
        "vieter repos publish extra paru-2.0.4-1-x86_64.pkg.tar.zst",
        "vieter repos publish extra *.pkg.tar.zst",
      ),
    )
    .action(
      ctx.action(async (repo: string, files: string[]) => {
        const output = ctx.output();
        const problem = repoNameProblem(repo);
        if (problem) throw new UsageError(invalidNameMessage("repository name", repo, problem));
        const plan = await planUploads(files);
        const published: Published[] = [];
        const failed: { file: string; error: string }[] = [];
        for (const item of plan) {
          try {
            const entry = await publishOne(ctx, repo, item);
            published.push(entry);
            output.text(`${output.mode === "raw" ? rawLine(entry) : sentence(entry, repo)}\n`);
          } catch (err) {
            const { message, exitCode } = explain(err, ctx.settings());
            if (exitCode === EXIT.connection) throw err;
            failed.push({ file: item.path, error: message });
            ctx.io.stderr.write(`error: ${item.path}: ${message}\n`);
          }
        }
        output.document({ repo, published, failed });
        if (failed.length > 0) ctx.setExit(EXIT.failed);
      }),
    );
}

/** Uploads one package, then its signature, each with its own progress. */
async function publishOne(ctx: CliContext, repo: string, item: PlannedUpload): Promise<Published> {
  const { address, apiKey } = ctx.settings();
  const send = async (path: string, size: number, query: string): Promise<unknown> => {
    const progress = startProgress(basename(path), size, {
      stream: ctx.io.stderr,
      tty: ctx.io.stderrIsTty,
      columns: ctx.io.columns,
    });
    const url = new URL(`${address}/${encodeURIComponent(repo)}/publish${query}`);
    try {
      return await uploadFile({ url, apiKey, path, size, onProgress: (n) => progress.update(n) });
    } finally {
      progress.end();
    }
  };
  const data = (await send(item.path, item.size, "")) as { name: string; version: string; archs: string[] };
  if (item.signature) {
    await send(item.signature.path, item.signature.size, `?signature=${encodeURIComponent(basename(item.path))}`);
  }
  return { file: item.path, name: data.name, version: data.version, archs: data.archs, signed: !!item.signature };
}

function sentence(p: Published, repo: string): string {
  return `Published ${p.name} ${p.version} to ${repo} (${p.archs.join(", ")})${p.signed ? " with its signature" : ""}.`;
}

function rawLine(p: Published): string {
  return [p.name, p.version, p.archs.join(","), String(p.signed)].join("\t");
}
