import { existsSync, readFileSync } from "node:fs";
import { type Groups, parseGroups } from "../../functions/domain/groups/index.js";
import { UsageError } from "../io.js";

/** The file to read: the one given, else the stage's, else the default (as config/groups.cjs packages it). */
export function groupsFile(given: string | undefined, stage: string): string {
  if (given) return given;
  const own = `config/groups.${stage}.yml`;
  return existsSync(own) ? own : "config/groups.default.yml";
}

export function read(file: string): Groups {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseGroups(text, file);
}
