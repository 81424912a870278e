import { BuildLogEntity } from "./build-log.js";
import { JobEntity } from "./job.js";
import { ArchRepoEntity, RepoPackageEntity } from "./repo.js";
import { TargetArchEntity, TargetEntity } from "./target.js";

/** Every entity the ORM knows. */
export const entities = [TargetEntity, TargetArchEntity, JobEntity, ArchRepoEntity, RepoPackageEntity, BuildLogEntity];
