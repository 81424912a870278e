import { readFile } from "node:fs/promises";

/** POSTs a package file to `/<repo>/publish`; returns status and parsed body. */
export async function publishFile(
  baseUrl: string,
  repo: string,
  file: string,
  apiKey: string | undefined,
): Promise<{ status: number; body: { message: string; data: unknown } }> {
  const res = await fetch(`${baseUrl}/${encodeURIComponent(repo)}/publish`, {
    method: "POST",
    headers: apiKey === undefined ? {} : { "x-api-key": apiKey },
    body: await readFile(file),
  });
  return { status: res.status, body: (await res.json()) as { message: string; data: unknown } };
}
