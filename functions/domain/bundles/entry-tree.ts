import { BundleError, BundleErrorNames } from "./errors.js";
import type { EntryType } from "./types.js";

/** A path of the bundle: an entry, or a directory only implied by deeper entries (`type` undefined). */
export interface PathNode {
  /** The normalised path as first spelled in the bundle ("" for the root). */
  path: string;
  type?: EntryType;
  parent?: PathNode;
  children?: Map<string, PathNode>;
}

/**
 * How names compare on the filesystems a bundle may be extracted to: Windows (NTFS) and macOS (APFS) ignore
 * letter case, and APFS also Unicode normalisation. Two names that fold alike are one file there.
 */
export function foldName(name: string): string {
  return ASCII.test(name) ? name.toLowerCase() : name.normalize("NFC").toLowerCase();
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * Every path of the bundle as a tree keyed by folded names, so that duplicates, case-only duplicates, entries
 * beneath links or files, and link resolutions are each answered in time proportional to the path's length.
 */
export class EntryTree {
  readonly root: PathNode = { path: "" };

  /** The node of `path` (normalised), compared the way a case-insensitive filesystem would. */
  find(path: string): PathNode | undefined {
    let node: PathNode | undefined = this.root;
    for (const part of path === "" ? [] : path.split("/")) {
      node = node.children?.get(foldName(part));
      if (!node) return undefined;
    }
    return node;
  }

  /**
   * Adds an entry, refusing: the same path twice, two paths that differ only in letter case (or Unicode
   * normalisation), an entry beneath a link or beneath a file, and a file or link where a directory was used.
   */
  add(path: string, type: EntryType, rawName: string): PathNode {
    const parts = path.split("/");
    let node = this.root;
    for (const [i, part] of parts.entries()) {
      const key = foldName(part);
      let child = node.children?.get(key);
      const last = i === parts.length - 1;
      if (!child) {
        child = { path: parts.slice(0, i + 1).join("/"), parent: node };
        node.children ??= new Map();
        node.children.set(key, child);
      } else if (last) {
        refuseSecond(child, path, type, rawName);
      }
      if (!last) refuseAsDirectory(child, path, rawName);
      node = child;
    }
    node.type = type;
    return node;
  }

  /**
   * Follows a symlink's target from the link's directory, as path resolution would, and returns the first
   * symlink the resolution passes through or ends at (undefined when there is none). Components that name
   * nothing in the bundle are followed lexically, so `missing/../up` still finds `up`. Call after every
   * entry was added: a link may point at one that comes later in the archive.
   */
  symlinkOnTheWay(link: PathNode, target: string): PathNode | undefined {
    let node = link.parent ?? this.root;
    let beyond = 0; // how deep the walk is below the last node that exists in the bundle
    for (const part of target.replace(/\\/g, "/").split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") {
        if (beyond > 0) beyond--;
        else node = node.parent ?? node; // above the root was refused when the link was added
        continue;
      }
      if (beyond > 0) {
        beyond++;
        continue;
      }
      const child = node.children?.get(foldName(part));
      if (!child) {
        beyond = 1;
        continue;
      }
      if (child.type === "symlink") return child;
      node = child;
    }
    return undefined;
  }
}

function refuseSecond(existing: PathNode, path: string, type: EntryType, rawName: string): void {
  if (existing.type !== undefined) {
    const why =
      existing.path === path
        ? `entry '${path}' appears more than once in the bundle`
        : `entries '${existing.path}' and '${path}' differ only in letter case; extracted on a case-insensitive filesystem (Windows, macOS) one would overwrite the other`;
    throw new BundleError(BundleErrorNames.DuplicateEntry, why, { entry: rawName });
  }
  if (type !== "directory") {
    throw new BundleError(BundleErrorNames.DuplicateEntry, `entry '${path}' is a ${type}, but an earlier entry used '${existing.path}' as a directory`, { entry: rawName });
  }
}

function refuseAsDirectory(ancestor: PathNode, path: string, rawName: string): void {
  if (ancestor.type === "symlink" || ancestor.type === "hardlink") {
    throw new BundleError(BundleErrorNames.UnsafePath, `entry '${path}' lies beneath the link '${ancestor.path}'; writing through links is refused`, { entry: rawName });
  }
  if (ancestor.type === "file") {
    throw new BundleError(BundleErrorNames.DuplicateEntry, `entry '${path}' needs '${ancestor.path}' to be a directory, but an earlier entry made it a file`, { entry: rawName });
  }
}
