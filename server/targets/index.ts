export { createTarget } from "./create.js";
export { deleteTarget } from "./delete.js";
export { type BuildSource, getBuildSource, getTarget } from "./get.js";
export { DEFAULT_TARGET_LIMIT, type TargetFilter, listTargets } from "./list.js";
export { UPDATABLE_FIELDS, type UpdatableField, updateTarget } from "./update.js";
export { TARGET_KINDS, type Target, type TargetDefaults, type TargetFields, type TargetKind } from "./target.js";
export { type TargetInput, validateTarget } from "./validate.js";
