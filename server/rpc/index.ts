/**
 * Composes the Connect services. Every vieter.v1 service is registered; RPCs
 * a later issue implements answer Unimplemented until then.
 */
import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { AgentService } from "../../gen/vieter/v1/agent_service_pb.js";
import { JobService } from "../../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../../gen/vieter/v1/log_service_pb.js";
import { RepoService } from "../../gen/vieter/v1/repo_service_pb.js";
import { TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import type { AppContext } from "../context.js";
import { createAgentService } from "./agent-service.js";
import { authInterceptor, errorInterceptor, storeInterceptor } from "./interceptors.js";
import { createJobService } from "./job-service.js";
import { createLogService } from "./log-service.js";
import { registerReflection } from "./reflection.js";
import { createRepoService } from "./repo-service.js";
import { createTargetService } from "./target-service.js";

/** The services this server offers, in the order reflection lists them. */
export const VIETER_SERVICES: readonly DescService[] = [
  TargetService,
  JobService,
  LogService,
  RepoService,
  AgentService,
];

/** Registers every service on a router. */
export function createRoutes(ctx: AppContext): (router: ConnectRouter) => void {
  return (router) => {
    router.service(TargetService, createTargetService(ctx));
    router.service(JobService, createJobService(ctx));
    router.service(LogService, createLogService(ctx));
    router.service(RepoService, createRepoService(ctx));
    router.service(AgentService, createAgentService(ctx));
    registerReflection(router, VIETER_SERVICES);
  };
}

/** The interceptors every call passes, outermost first. */
export function createInterceptors(ctx: AppContext): Interceptor[] {
  return [errorInterceptor(ctx.logger), authInterceptor(ctx.authenticator), storeInterceptor(ctx.store)];
}
