import { TargetArchEntity, TargetEntity } from "./target.js";

/** Every entity the ORM knows. */
export const entities = [TargetEntity, TargetArchEntity];
