/**
 * `vieter aur add <repo> <pkg…>`: a git target per AUR package base
 * (`https://aur.archlinux.org/<pkgbase>.git`, as Vieter), skipping bases that
 * are already a target of the repository. Names the AUR does not know are
 * reported and make the exit status 1; the others are still added.
 */
import type { Command } from "commander";
import { TargetKind, TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import { invalidNameMessage, repoNameProblem } from "../../../lib/names.js";
import { aurInfo } from "../../aur-client.js";
import type { CliContext } from "../../context.js";
import { EXIT, UsageError } from "../../errors.js";
import { examples } from "../help.js";

/** Where targets clone AUR packages from. */
export const AUR_GIT_BASE = "https://aur.archlinux.org";

interface Outcome {
  name: string;
  base: string;
  url: string;
  targetId: number;
  added: boolean;
}

/** Registers `aur add`. */
export function registerAurAdd(aur: Command, ctx: CliContext): void {
  aur
    .command("add")
    .description(
      `Add AUR packages as git targets (${AUR_GIT_BASE}/<pkgbase>.git) publishing to a repository; ` +
        "a package base that is already a target of the repository is skipped. Prints a line per package " +
        "(with -r: name, target id, added|exists).",
    )
    .argument("<repo>", "the repository the packages are published to")
    .argument("<pkgs...>", "AUR package names")
    .addHelpText("after", examples("vieter aur add extra paru", "vieter aur add extra yay paru-bin"))
    .action(
      ctx.action(async (repo: string, names: string[]) => {
        const output = ctx.output();
        const problem = repoNameProblem(repo);
        if (problem) throw new UsageError(invalidNameMessage("repository name", repo, problem));
        const found = await aurInfo(ctx.aur(), names);
        const missing = names.filter((n) => !found.some((p) => p.Name === n));
        const targets = ctx.connection().client(TargetService);
        const outcomes: Outcome[] = [];
        for (const pkg of found) {
          const url = `${AUR_GIT_BASE}/${pkg.PackageBase}.git`;
          // Two names of one split package share a base: the second finds the first's target.
          const existing = await targets.listTargets({ repo, query: url, limit: 1000 });
          const same = existing.targets.find((t) => t.url === url);
          const targetId = same
            ? Number(same.id)
            : Number((await targets.createTarget({ target: { kind: TargetKind.GIT, url, repo } })).target!.id);
          const outcome = { name: pkg.Name, base: pkg.PackageBase, url, targetId, added: !same };
          outcomes.push(outcome);
          output.text(output.mode === "raw" ? `${rawLine(outcome)}\n` : `${sentence(outcome, repo)}\n`);
        }
        for (const name of missing) ctx.io.stderr.write(`error: the AUR has no package named ${name}\n`);
        output.document({ repo, packages: outcomes, missing });
        if (missing.length > 0) ctx.setExit(EXIT.failed);
      }),
    );
}

function sentence(o: Outcome, repo: string): string {
  return o.added
    ? `Added ${o.name} as target ${o.targetId} (${o.url}).`
    : `Skipped ${o.name}: ${o.url} is already target ${o.targetId} in ${repo}.`;
}

function rawLine(o: Outcome): string {
  return [o.name, String(o.targetId), o.added ? "added" : "exists"].join("\t");
}
