import type { HostileCase } from "../case.js";
import { appSpecCases } from "./appspecs.js";
import { bombCases } from "./bombs.js";
import { duplicateCases } from "./duplicates.js";
import { linkCases } from "./links.js";
import { pathCases } from "./paths.js";
import { zipStructureCases } from "./zip-structure.js";

/** Every hostile case, in table order. Other areas add their files here (deployment inputs, release targets, endpoints). */
export const HOSTILE_CASES: readonly HostileCase[] = [...pathCases, ...linkCases, ...duplicateCases, ...bombCases, ...zipStructureCases, ...appSpecCases];
