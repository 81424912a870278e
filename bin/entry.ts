// The one `vieter` binary. The roles live in folders that never import each
// other, so this entry point is where they are put together.
import { main } from "../cli/main.js";

process.exitCode = await main(process.argv.slice(2), {
  server: async (file, required) => (await import("../server/main.js")).runServer(file, required),
  agent: async (file, required) => {
    const { runAgent } = await import("../agent/main.js");
    const { createContainerExecutor } = await import("../agent/container-executor.js");
    return runAgent(file, required, createContainerExecutor);
  },
});
