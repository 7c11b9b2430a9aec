import { EMPTY_GROUPS, type Groups, parseGroups } from "../domain/groups/groups.js";

let cached: { raw: string; groups: Groups } | undefined;

/**
 * The stage's groups as the stack hands them to its functions: DEPLOYMENT_GROUPS, the JSON of
 * config/groups.<stage>.yml (config/groups.cjs). Parsed once per value; unset means no groups.
 * A broken value fails with `Deploy.InvalidGroupsFile` naming the field.
 */
export function stageGroups(raw: string | undefined): Groups {
  if (raw === undefined || raw === "") return EMPTY_GROUPS;
  if (cached?.raw !== raw) {
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      doc = raw;
    }
    cached = { raw, groups: parseGroups(doc, "DEPLOYMENT_GROUPS") };
  }
  return cached.groups;
}
