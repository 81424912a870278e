/**
 * Recently served package files kept in memory, for responses the sendfile
 * addon does not send (switched off or not built, HTTP/2, TLS, a pipelined
 * request): Node alone cannot sendfile, so a file streamed from disk is
 * copied twice per request (page cache → buffer → socket) in many chunks;
 * from memory it is one write of one buffer, which costs about a third of the
 * CPU. Pool files are named by their SHA-256 and never change, so entries
 * need no invalidation, only eviction (least recently used first) within a
 * byte budget.
 */
import { readFile } from "node:fs/promises";

export class FileCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly loading = new Map<string, Promise<Buffer>>();
  private bytes = 0;

  constructor(
    private readonly budgetBytes: number,
    private readonly maxFileBytes: number,
  ) {}

  /** The file's bytes, read once and kept; undefined for files above the per-file limit. */
  async read(path: string, size: number): Promise<Buffer | undefined> {
    if (size > this.maxFileBytes || size > this.budgetBytes) return undefined;
    const hit = this.entries.get(path);
    if (hit) {
      // Re-insert: a Map iterates in insertion order, so the front is the least recently used.
      this.entries.delete(path);
      this.entries.set(path, hit);
      return hit;
    }
    let pending = this.loading.get(path);
    if (!pending) {
      pending = readFile(path).finally(() => this.loading.delete(path));
      this.loading.set(path, pending);
      void pending.then((data) => this.keep(path, data)).catch(() => {});
    }
    return pending;
  }

  /** Bytes held now. */
  get size(): number {
    return this.bytes;
  }

  private keep(path: string, data: Buffer): void {
    if (this.entries.has(path) || data.length > this.maxFileBytes) return;
    for (const [oldest, buf] of this.entries) {
      if (this.bytes + data.length <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= buf.length;
    }
    this.entries.set(path, data);
    this.bytes += data.length;
  }
}
