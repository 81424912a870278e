/** Clients over an in-memory router transport: the real services and interceptors, no port. */
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, createRouterTransport } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import { createInterceptors, createRoutes } from "./index.js";

/** A client of `service` calling the routes of `ctx` in memory, with `key` as credential. */
export function routerClient<S extends DescService>(ctx: AppContext, service: S, key?: string): Client<S> {
  const transport = createRouterTransport(createRoutes(ctx), {
    router: { interceptors: createInterceptors(ctx) },
    transport:
      key === undefined ? {} : { interceptors: [(next) => (req) => (req.header.set("x-api-key", key), next(req))] },
  });
  return createClient(service, transport);
}
