/**
 * Which caller each RPC requires. Every RPC is admin-only unless listed here,
 * so a new RPC cannot be left open by omission.
 */
import type { DescMethod } from "@bufbuild/protobuf";
import type { Access } from "../auth/principal.js";

const PUBLIC_SERVICES = new Set([
  // Reflection describes the API, which is public; calling it changes nothing.
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
]);

const AGENT_METHODS = new Set(["vieter.v1.AgentService.Connect"]);

/** The access an RPC requires. */
export function accessFor(method: DescMethod): Access {
  if (PUBLIC_SERVICES.has(method.parent.typeName)) return "public";
  if (AGENT_METHODS.has(`${method.parent.typeName}.${method.name}`)) return "agent";
  return "admin";
}
