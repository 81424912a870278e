/**
 * The cross-cutting parts of every RPC, in one place: domain errors become
 * Connect codes, credentials are checked, and each call gets its own
 * EntityManager.
 */
import { Code, ConnectError, type Interceptor, type StreamResponse, type UnaryResponse } from "@connectrpc/connect";
import type { Logger } from "pino";
import { DomainError, type DomainErrorCode } from "../../lib/errors.js";
import type { Authenticator } from "../auth/authenticator.js";
import { allows } from "../auth/principal.js";
import type { Store } from "../store/orm.js";
import { accessFor } from "./access.js";
import { entityManagerKey, principalKey } from "./context-values.js";

const CODES: Record<DomainErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  resource_exhausted: Code.ResourceExhausted,
  aborted: Code.Aborted,
};

/** Converts anything thrown by a handler into a ConnectError safe to send. */
export function toConnectError(err: unknown, logger: Logger, procedure: string): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof DomainError) return new ConnectError(err.message, CODES[err.code]);
  // Internal details stay in the log; the caller learns only that it failed.
  logger.error({ err, procedure }, "internal error in RPC");
  return new ConnectError("internal error", Code.Internal);
}

/** Maps errors from unary calls and from streams while they are read. */
export function errorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const procedure = `${req.service.typeName}/${req.method.name}`;
    let res: UnaryResponse | StreamResponse;
    try {
      res = await next(req);
    } catch (err) {
      throw toConnectError(err, logger, procedure);
    }
    if (!res.stream) return res;
    const inner = res.message;
    return {
      ...res,
      message: (async function* () {
        try {
          yield* inner;
        } catch (err) {
          throw toConnectError(err, logger, procedure);
        }
      })(),
    };
  };
}

/** Requires the credential each method's access level asks for. */
export function authInterceptor(authenticator: Authenticator): Interceptor {
  return (next) => async (req) => {
    const principal = authenticator.authenticate(req.header);
    const access = accessFor(req.method);
    if (!allows(access, principal)) {
      if (principal === undefined) {
        throw new ConnectError(
          "missing or invalid credential (send X-Api-Key or Authorization: Bearer)",
          Code.Unauthenticated,
        );
      }
      throw new ConnectError(`a ${principal.kind} credential cannot call ${req.method.name}`, Code.PermissionDenied);
    }
    req.contextValues.set(principalKey, principal);
    return next(req);
  };
}

/** Gives every call its own forked EntityManager. */
export function storeInterceptor(store: Store): Interceptor {
  return (next) => async (req) => {
    req.contextValues.set(entityManagerKey, store.em.fork());
    return next(req);
  };
}
