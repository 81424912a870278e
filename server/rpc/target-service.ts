/** TargetService: translates messages to the targets domain and back. */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type Target as TargetMessage,
  TargetKind,
  TargetSchema,
  type TargetService,
} from "../../gen/vieter/v1/target_service_pb.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import { previewSchedule } from "../config-checks.js";
import type { AppContext } from "../context.js";
import {
  type Target,
  type TargetInput,
  type UpdatableField,
  createTarget,
  deleteTarget,
  getTarget,
  listTargets,
  updateTarget,
} from "../targets/index.js";
import { callEm } from "./context-values.js";

const KIND_NAMES: Record<TargetKind, string> = {
  [TargetKind.UNSPECIFIED]: "",
  [TargetKind.GIT]: "git",
  [TargetKind.URL]: "url",
};

// Proto field names (snake_case, as in a FieldMask) to domain field names.
const MASK_FIELDS: Record<string, UpdatableField> = {
  kind: "kind",
  url: "url",
  branch: "branch",
  path: "path",
  repo: "repo",
  arches: "arches",
  schedule: "schedule",
  build_timeout_seconds: "buildTimeoutSeconds",
  base_image: "baseImage",
};

/** The TargetService implementation. */
export function createTargetService(ctx: AppContext): Partial<ServiceImpl<typeof TargetService>> {
  const defaults = {
    defaultArch: ctx.config.default_arch,
    globalSchedule: ctx.config.global_schedule,
    timeZone: ctx.config.time_zone,
  };
  return {
    async createTarget(req, call) {
      const target = await createTarget(callEm(call), toInput(req.target), defaults, ctx.clock.now(), ctx.jobEvents);
      return { target: toMessage(target) };
    },
    async getTarget(req, call) {
      return { target: toMessage(await getTarget(callEm(call), Number(req.id))) };
    },
    async listTargets(req, call) {
      const { targets, total } = await listTargets(callEm(call), {
        repo: req.repo,
        arch: req.arch,
        query: req.query,
        limit: req.limit,
        offset: req.offset,
      });
      return { targets: targets.map(toMessage), totalCount: total };
    },
    async updateTarget(req, call) {
      const fields = (req.updateMask?.paths ?? []).map((p) => {
        const f = MASK_FIELDS[p];
        if (!f)
          throw new InvalidArgumentError(
            "update_mask",
            `unknown field ${JSON.stringify(p)} (updatable: ${Object.keys(MASK_FIELDS).join(", ")})`,
          );
        return f;
      });
      const target = await updateTarget(
        callEm(call),
        Number(req.target?.id ?? 0n),
        toInput(req.target),
        fields,
        defaults,
        ctx.clock.now(),
        ctx.jobEvents,
      );
      return { target: toMessage(target) };
    },
    async deleteTarget(req, call) {
      await deleteTarget(callEm(call), Number(req.id), ctx.clock.now(), ctx.jobEvents);
      return {};
    },
    async previewSchedule(req) {
      const expression = req.expression.trim() || ctx.config.global_schedule;
      const count = req.count === 0 ? 5 : req.count;
      if (count > 100) throw new InvalidArgumentError("count", `${count} is more than 100`);
      const times = previewSchedule(expression, ctx.clock.now(), count, ctx.config.time_zone);
      return { occurrences: times.map(timestampFromDate), timeZone: ctx.config.time_zone };
    },
  };
}

function toInput(msg: TargetMessage | undefined): TargetInput {
  const m = msg ?? create(TargetSchema);
  return {
    kind: KIND_NAMES[m.kind] ?? String(m.kind),
    url: m.url,
    branch: m.branch,
    path: m.path,
    repo: m.repo,
    arches: m.arches,
    schedule: m.schedule,
    buildTimeoutSeconds: m.buildTimeoutSeconds,
    baseImage: m.baseImage,
  };
}

function toMessage(t: Target): TargetMessage {
  return create(TargetSchema, {
    id: BigInt(t.id),
    kind: t.kind === "git" ? TargetKind.GIT : TargetKind.URL,
    url: t.url,
    branch: t.branch,
    path: t.path,
    repo: t.repo,
    arches: [...t.arches],
    schedule: t.schedule,
    buildTimeoutSeconds: t.buildTimeoutSeconds,
    baseImage: t.baseImage,
    createTime: timestampFromDate(t.createdAt),
    updateTime: timestampFromDate(t.updatedAt),
  });
}
