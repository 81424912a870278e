// Builds the optional native sendfile addon (native/sendfile) with the node-gyp
// that npm ships; `npm ci` runs this as the install script. It never fails the
// install: without the addon the server sends files through Node's streams
// (and says so at start).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const addonDir = join(dirname(fileURLToPath(import.meta.url)), "../native/sendfile");
const prefix = join(dirname(process.execPath), "..");

if (process.platform !== "linux") {
  console.warn("native/sendfile: not built (Linux only); files are sent through Node's streams");
  process.exit(0);
}

// npm names its node-gyp in scripts; run by hand, look beside npm and node.
const nodeGyp = [
  process.env.npm_config_node_gyp,
  process.env.npm_execpath && join(dirname(process.env.npm_execpath), "../node_modules/node-gyp/bin/node-gyp.js"),
  join(prefix, "lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"),
].find((p) => p && existsSync(p));
if (!nodeGyp) {
  console.warn("native/sendfile: node-gyp not found; files are sent through Node's streams");
  process.exit(0);
}

// Node's own headers (Debian's nodejs ships them) spare node-gyp a download.
const args = [nodeGyp, "rebuild", "--loglevel=warn"];
if (!process.env.npm_config_nodedir && existsSync(join(prefix, "include/node/node_api.h"))) {
  args.push(`--nodedir=${prefix}`);
}
const result = spawnSync(process.execPath, args, { cwd: addonDir, stdio: ["ignore", "ignore", "inherit"] });
if (result.status !== 0) {
  console.warn("native/sendfile: build failed (see above); files are sent through Node's streams");
}
