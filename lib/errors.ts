/**
 * Typed domain errors. Domain code throws these; each transport maps them once
 * (Connect codes in server/rpc, HTTP statuses in server/http). Anything that is
 * not a DomainError is an internal error: logged, never sent to the client.
 */

/** The kinds of failure a domain operation can report to a caller. */
export type DomainErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
  | "permission_denied"
  | "unauthenticated"
  | "resource_exhausted"
  | "aborted";

/** Base class: a failure whose message is safe to show to the caller. */
export class DomainError extends Error {
  override readonly name: string = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A value supplied by the caller is malformed; `field` names it. */
export class InvalidArgumentError extends DomainError {
  override readonly name: string = "InvalidArgumentError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("invalid_argument", `${field}: ${message}`);
  }
}

/** The named resource does not exist. */
export class NotFoundError extends DomainError {
  override readonly name: string = "NotFoundError";
  constructor(message: string) {
    super("not_found", message);
  }
}

/** The resource the caller tried to create exists already. */
export class AlreadyExistsError extends DomainError {
  override readonly name: string = "AlreadyExistsError";
  constructor(message: string) {
    super("already_exists", message);
  }
}

/** The system is not in a state that allows the operation (e.g. a downgrade). */
export class FailedPreconditionError extends DomainError {
  override readonly name: string = "FailedPreconditionError";
  constructor(message: string) {
    super("failed_precondition", message);
  }
}

/** The caller is known but not allowed to do this. */
export class PermissionDeniedError extends DomainError {
  override readonly name: string = "PermissionDeniedError";
  constructor(message: string) {
    super("permission_denied", message);
  }
}

/** The caller presented no credential, or a wrong one. */
export class UnauthenticatedError extends DomainError {
  override readonly name: string = "UnauthenticatedError";
  constructor(message: string) {
    super("unauthenticated", message);
  }
}

/** A size or count limit was exceeded (e.g. an upload larger than allowed). */
export class ResourceExhaustedError extends DomainError {
  override readonly name: string = "ResourceExhaustedError";
  constructor(message: string) {
    super("resource_exhausted", message);
  }
}
