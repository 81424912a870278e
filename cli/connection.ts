/**
 * The client side of the server's one port: Connect over HTTP/1.1 (which
 * carries server streams too and passes every proxy), with the API key in
 * X-Api-Key on every call.
 */
import type { DescService } from "@bufbuild/protobuf";
import { type Client, type Interceptor, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { ClientSettings } from "./config.js";
import { noteProcedure } from "./errors.js";

/** A connection to one server with one key. */
export interface Connection {
  readonly settings: ClientSettings;
  /** A client of `service`; clients share the transport. */
  client<S extends DescService>(service: S): Client<S>;
}

/** Adds the key and remembers which RPC an error came from, for unary calls and streams. */
function callInterceptor(apiKey: string): Interceptor {
  return (next) => async (req) => {
    const procedure = `${req.service.typeName}/${req.method.name}`;
    req.header.set("x-api-key", apiKey);
    try {
      const res = await next(req);
      if (!res.stream) return res;
      const inner = res.message;
      return {
        ...res,
        message: (async function* () {
          try {
            yield* inner;
          } catch (err) {
            noteProcedure(err, procedure);
            throw err;
          }
        })(),
      };
    } catch (err) {
      noteProcedure(err, procedure);
      throw err;
    }
  };
}

/** Connects to `settings.address`; nothing is sent until a client is called. */
export function createConnection(settings: ClientSettings): Connection {
  const transport = createConnectTransport({
    baseUrl: settings.address,
    httpVersion: "1.1",
    interceptors: [callInterceptor(settings.apiKey)],
  });
  return {
    settings,
    client: (service) => createClient(service, transport),
  };
}
