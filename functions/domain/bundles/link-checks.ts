import type { EntryTree, PathNode } from "./entry-tree.js";
import { BundleError, BundleErrorNames } from "./errors.js";
import { normalizeEntryPath, resolveLinkTarget } from "./paths.js";
import type { BundleEntry } from "./types.js";

/**
 * The link rules (docs/appspec.md "Links"): a symlink's text must stay inside the root; a hardlink must name a
 * regular file that came earlier; and, once every entry is known, no symlink may point at or through another.
 */
export class LinkChecks {
  private readonly symlinks: { entry: BundleEntry; node: PathNode; rawName: string }[] = [];

  constructor(private readonly tree: EntryTree) {}

  /** Checks a link as it is read (the entry and its node are already in the tree). */
  add(entry: BundleEntry, node: PathNode, rawName: string): void {
    if (entry.type === "hardlink") {
      this.checkHardlink(entry, rawName);
      return;
    }
    if (resolveLinkTarget(entry.path, entry.linkTarget!) === undefined) {
      throw new BundleError(BundleErrorNames.UnsafePath, `symlink '${entry.path}' points outside the bundle root ('${entry.linkTarget}')`, { entry: rawName });
    }
    this.symlinks.push({ entry, node, rawName });
  }

  /**
   * A hardlink (tar) names an entry from the root. It must name a regular file that came earlier, spelled exactly:
   * a hardlink to a symlink would be a copy of that symlink in another directory, where its text can point
   * elsewhere; one to a missing entry would link to whatever the extraction directory already holds.
   */
  private checkHardlink(entry: BundleEntry, rawName: string): void {
    const target = entry.linkTarget!;
    let resolved: string;
    try {
      resolved = normalizeEntryPath(target).path;
    } catch {
      throw new BundleError(BundleErrorNames.UnsafePath, `hardlink '${entry.path}' points outside the bundle root ('${target}')`, { entry: rawName });
    }
    const node = this.tree.find(resolved);
    if (node?.type === "file" && node.path === resolved) return;
    const what = !node?.type ? "is not an earlier entry of the bundle" : node.path !== resolved ? `is spelled '${node.path}' in the bundle` : `is a ${node.type}`;
    throw new BundleError(BundleErrorNames.UnsafePath, `hardlink '${entry.path}' must name a regular file that comes earlier in the bundle; '${target}' ${what}`, { entry: rawName });
  }

  /**
   * After the last entry: no symlink may point at or through another symlink, whichever comes first in the
   * archive. Each link's text was checked alone when it was read; this closes chains such as `a/b/up -> ../..`
   * followed by `a/b/p -> up/../../etc/passwd`, where every text stays inside the root but the chain does not.
   */
  checkChains(): void {
    for (const { entry, node, rawName } of this.symlinks) {
      const through = this.tree.symlinkOnTheWay(node, entry.linkTarget!);
      if (!through) continue;
      const how = through === node ? "through itself" : `through the symlink '${through.path}'`;
      throw new BundleError(
        BundleErrorNames.UnsafePath,
        `symlink '${entry.path}' ('${entry.linkTarget}') resolves ${how}; links that point at or through other links are refused`,
        { entry: rawName },
      );
    }
  }
}
