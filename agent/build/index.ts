/**
 * The container half of the agent: what the agent loop calls. See README.md.
 */
export type { BuildSpec } from "./build-spec.js";
export { BuilderImages, type BuilderImageLease, type BuilderImagesOptions } from "./builder-image.js";
export { DEFAULT_ULIMITS, createEngine, type Engine, type EngineOptions, type EngineVersion } from "./engine.js";
export type { LogLine, LogStream } from "./log-lines.js";
export { BuilderImageError, LABELS, type BuilderImage } from "./prepare-image.js";
export type { BuildOutcome, BuildResult } from "./result.js";
export { removeBuildContainers } from "./container.js";
export { runBuild, type BuildHooks, type BuildRequest } from "./runner.js";
export { shellQuote } from "./shell-quote.js";
export { EXIT_SKIPPED, type FailureStep } from "./steps.js";
