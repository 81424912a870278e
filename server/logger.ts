import { type DestinationStream, type Logger, destination as toFd, pino } from "pino";
import type { LogLevel } from "./config.js";

/** The server's structured logger (JSON lines on stderr unless told otherwise). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ name: "vieter-server", level: level.toLowerCase() }, destination ?? toFd(2));
}
