#!/usr/bin/env node
// Runs the bundle `npm run build` writes (dist/vieter.mjs, made by npm ci's
// prepare step); without it, runs the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/vieter.mjs", import.meta.url);
if (existsSync(bundle) && process.env.VIETER_FROM_SOURCE !== "1") {
  await import(bundle.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./entry.ts");
}
