/** How build agents look in each output mode. */
import type { Agent } from "../../gen/vieter/v1/agent_service_pb.js";
import { dateOf, joined, localTime } from "./format.js";
import type { Column } from "./table.js";

/** An agent in `--json`. */
export interface AgentView {
  name: string;
  arches: string[];
  capacity: number;
  runningJobIds: number[];
  connected: boolean;
  draining: boolean;
  version: string;
  lastSeenTime: Date | null;
}

/** The view of an agent message. */
export function agentView(a: Agent): AgentView {
  return {
    name: a.name,
    arches: [...a.arches],
    capacity: a.capacity,
    runningJobIds: a.runningJobIds.map(Number),
    connected: a.connected,
    draining: a.draining,
    version: a.version,
    lastSeenTime: dateOf(a.lastSeenTime),
  };
}

/** In one word: connected and taking jobs, draining, or gone. */
function status(a: AgentView): string {
  if (!a.connected) return "disconnected";
  return a.draining ? "draining" : "ready";
}

/** One agent per line. */
export const AGENT_COLUMNS: readonly Column<AgentView>[] = [
  { header: "name", cell: (a) => a.name },
  { header: "status", cell: status },
  { header: "arches", cell: (a) => joined(a.arches) },
  { header: "jobs", cell: (a) => `${a.runningJobIds.length}/${a.capacity}`, align: "right" },
  { header: "running", cell: (a) => joined(a.runningJobIds.map(String)) },
  { header: "version", cell: (a) => a.version },
  { header: "last seen", cell: (a) => localTime(a.lastSeenTime) },
];
