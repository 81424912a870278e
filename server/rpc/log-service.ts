/** LogService: translates messages to the logs domain and back. */
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { LogService } from "../../gen/vieter/v1/log_service_pb.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { AppContext } from "../context.js";
import { toLogMessage, toResults } from "./log-messages.js";

/** The LogService implementation. */
export function createLogService(ctx: AppContext): ServiceImpl<typeof LogService> {
  const { logs } = ctx;
  return {
    async listLogs(req) {
      const page = await logs.listLogs({
        targetId: Number(req.targetId) || undefined,
        arch: req.arch || undefined,
        before: req.before && timestampDate(req.before),
        after: req.after && timestampDate(req.after),
        includeExitCodes: req.includeExitCodes,
        excludeExitCodes: req.excludeExitCodes,
        results: toResults(req.results),
        limit: req.limit,
        offset: req.offset,
      });
      return { logs: page.logs.map(toLogMessage), totalCount: page.total };
    },
    async getLog(req) {
      return { log: toLogMessage(await logs.getLog(Number(req.id))) };
    },
    async deleteLog(req) {
      await logs.deleteLog(Number(req.id));
      return {};
    },
    // Chunks of at most 64 KiB, read from the file as the client takes them.
    async *getLogContent(req) {
      for await (const data of logs.readContent(Number(req.id))) yield { data };
    },
    async *followLog(req, call) {
      const source =
        req.id !== 0n
          ? logs.followLog(Number(req.id), call.signal)
          : req.jobId !== 0n
            ? logs.followJobLog(Number(req.jobId), call.signal)
            : undefined;
      if (!source) throw new InvalidArgumentError("id", "set id (a log) or job_id (a job)");
      for await (const data of source) yield { data };
    },
  };
}
