import { DomainError, type DomainErrorCode } from "../../lib/errors.js";
import type { PlainResponse } from "./route.js";

const STATUS: Record<DomainErrorCode, number> = {
  invalid_argument: 400,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 413,
  aborted: 409,
};

/** Sends a JSON body in Vieter's envelope style. */
export function sendJson(res: PlainResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Sends Vieter's error envelope: `{"message": …, "data": ""}`. */
export function sendError(res: PlainResponse, status: number, message: string): void {
  sendJson(res, status, { message, data: "" });
}

/** The HTTP status for a domain error, or undefined for an internal error. */
export function statusForError(err: unknown): number | undefined {
  return err instanceof DomainError ? STATUS[err.code] : undefined;
}
