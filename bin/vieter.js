#!/usr/bin/env node
// The one `vieter` binary. The roles live in folders that never import each
// other, so this entry point is where they are put together.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2), {
  server: async (file, required) => (await import("../server/main.ts")).runServer(file, required),
});
