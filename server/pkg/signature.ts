/**
 * Detached package signatures (`<package>.sig`) as repo-add 6.0.2 embeds
 * them: base64 in the `%PGPSIG%` field of `desc`.
 */
import { InvalidPackageError } from "./errors.js";

/** repo-add refuses signature files larger than this many bytes. */
export const MAX_SIGNATURE_BYTES = 16384;

/**
 * Validates a detached signature like repo-add and returns the `%PGPSIG%`
 * value. An empty file gives "" (repo-add then writes no `%PGPSIG%`).
 * Throws {@link InvalidPackageError} (problem `invalid_signature`, field
 * `signature`) for ASCII-armored or oversized signatures: pacman only reads
 * binary ones, and the limit keeps `desc` small.
 */
export function encodeSignature(signature: Uint8Array): string {
  const bytes = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  if (bytes.includes("BEGIN PGP SIGNATURE")) {
    throw new InvalidPackageError(
      "invalid_signature",
      "ASCII-armored signatures are not supported; use a binary .sig",
      undefined,
      "signature",
    );
  }
  if (bytes.length > MAX_SIGNATURE_BYTES) {
    throw new InvalidPackageError(
      "invalid_signature",
      `signature is ${bytes.length} bytes, more than ${MAX_SIGNATURE_BYTES}`,
      undefined,
      "signature",
    );
  }
  return bytes.toString("base64");
}
