/**
 * First-start API key: when no api_key is configured the server generates one,
 * stores it in the data folder readable only by its owner, and reuses it.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The generated key's file name inside data_dir. */
export const API_KEY_FILE = "api-key";

/** The key and where it is stored. */
export interface StoredApiKey {
  readonly key: string;
  readonly path: string;
  /** True when this call generated it. */
  readonly created: boolean;
}

/** Reads the stored key, generating and storing it (mode 0600) on first use. */
export function loadOrCreateApiKey(dataDir: string): StoredApiKey {
  const path = join(dataDir, API_KEY_FILE);
  try {
    const key = readFileSync(path, "utf8").trim();
    if (key !== "") return { key, path, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("base64url");
  // "wx" refuses to overwrite a key another process wrote meanwhile.
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return { key, path, created: true };
}
