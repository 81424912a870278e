import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** Size and digests of everything that passed through a {@link DigestStream}. */
export interface DigestResult {
  csize: number;
  /** Lower-case hex. */
  sha256: string;
  /** Lower-case hex; repo-add 6.0.2 still writes `%MD5SUM%`. */
  md5: string;
}

/**
 * A pass-through stream that hashes and counts the bytes on their way to the
 * decompressor, so the package file is read from disk only once.
 */
export class DigestStream extends Transform {
  #bytes = 0;
  readonly #sha256: Hash = createHash("sha256");
  readonly #md5: Hash = createHash("md5");

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    this.#sha256.update(chunk);
    this.#md5.update(chunk);
    callback(null, chunk);
  }

  /** The totals; call once, after the stream has ended. */
  result(): DigestResult {
    return { csize: this.#bytes, sha256: this.#sha256.digest("hex"), md5: this.#md5.digest("hex") };
  }
}
