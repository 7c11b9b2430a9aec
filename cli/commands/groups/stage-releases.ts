import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Groups } from "../../../functions/domain/groups/index.js";
import { releaseSourcesOfGroups } from "../../../functions/domain/groups/releases.js";
import { checkedSources, parseLabelled } from "../../../functions/domain/release/index.js";

/**
 * A stage's groups file is checked together with the stage's release sources, as the release functions will read
 * them (a group's `release` section and config/releases.<stage>.json are one list): the releases file beside a
 * `groups.<stage>.yml` (else releases.default.json, as config/releases.cjs picks it). Throws the problems as
 * `Release.InvalidConfiguration`; returns what was checked, or null for a file that is not a stage's.
 */
export function checkStageReleases(groupsFile: string, groups: Groups): { releasesFile: string; fromFile: number; fromGroups: number } | null {
  const stage = /^groups\.(.+)\.ya?ml$/.exec(basename(groupsFile))?.[1];
  if (!stage) return null;
  const own = join(dirname(groupsFile), `releases.${stage}.json`);
  const releasesFile = existsSync(own) ? own : join(dirname(groupsFile), "releases.default.json");
  if (!existsSync(releasesFile)) return null;
  const doc = JSON.parse(readFileSync(releasesFile, "utf8")) as { sources?: unknown };
  const fromFile = parseLabelled(doc.sources ?? []).map((l) => ({ ...l, at: `${basename(releasesFile)} sources${l.at}` }));
  const fromGroups = releaseSourcesOfGroups(groups);
  checkedSources(fromFile, fromGroups);
  return { releasesFile, fromFile: fromFile.length, fromGroups: fromGroups.length };
}
