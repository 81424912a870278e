import { InvalidArgumentError } from "../../lib/errors.js";

/** What is wrong with an uploaded package file, for callers that branch on it. */
export type PackageProblem =
  | "empty_file"
  | "unsupported_compression"
  | "corrupt_archive"
  | "missing_pkginfo"
  | "invalid_pkginfo"
  | "invalid_signature";

/**
 * A package file that cannot be accepted: not a (supported) package archive,
 * or one whose `.PKGINFO` is missing or invalid.
 *
 * An {@link InvalidArgumentError} (field `package` unless told otherwise), so
 * transports report it as a bad request; `problem` says which check failed and
 * `key` names the offending `.PKGINFO` key, if any.
 */
export class InvalidPackageError extends InvalidArgumentError {
  constructor(
    readonly problem: PackageProblem,
    message: string,
    readonly key?: string,
    field = "package",
  ) {
    super(field, message);
  }
}
