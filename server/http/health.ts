import type { PlainRoute } from "./route.js";
import { sendJson } from "./respond.js";

/** `GET /health`: public liveness check, Vieter's response shape. */
export const healthRoute: PlainRoute = {
  method: ["GET", "HEAD"],
  match: (segments) => segments.length === 1 && segments[0] === "health",
  access: "public",
  handle: (_req, res) => sendJson(res, 200, { message: "Healthy.", data: "" }),
};
