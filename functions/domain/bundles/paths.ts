import { BundleError, BundleErrorNames } from "./errors.js";
import type { BundleLimits } from "./limits.js";

/**
 * Entry path rules (docs/appspec.md "Bundle safety"): backslashes count as separators (zip files made on
 * Windows use them, and the CodeDeploy agent on Windows would treat them so); absolute paths (`/x`, `C:x`,
 * `\\server\x`), `..` components and NUL bytes are refused; `.` components and empty components are dropped.
 * Returns the normalised path ("" for the root itself) and whether the name marked a directory.
 */
export function normalizeEntryPath(raw: string): { path: string; isDir: boolean } {
  const unsafe = (why: string) => new BundleError(BundleErrorNames.UnsafePath, `entry '${raw}' ${why}`, { entry: raw });
  if (raw.includes("\0")) throw unsafe("contains a NUL byte");
  const name = raw.replace(/\\/g, "/");
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw unsafe("has an absolute path");
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") throw unsafe("climbs out of the bundle root with '..'");
    parts.push(part);
  }
  return { path: parts.join("/"), isDir: name.endsWith("/") };
}

/**
 * Where a symlink at `linkPath` pointing at `target` resolves, relative to the bundle root, or undefined when it
 * leaves the root (absolute target, or more `..` than the link is deep).
 */
export function resolveLinkTarget(linkPath: string, target: string): string | undefined {
  const t = target.replace(/\\/g, "/");
  if (t === "" || t.startsWith("/") || /^[A-Za-z]:/.test(t) || t.includes("\0")) return undefined;
  const stack = linkPath.split("/").slice(0, -1);
  for (const part of t.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (stack.length === 0) return undefined;
      stack.pop();
    } else stack.push(part);
  }
  return stack.join("/");
}

/**
 * Names longer than PATH_MAX (or with a component longer than NAME_MAX) cannot be extracted, and a tar's PAX
 * records may carry megabytes of name per entry: refused before anything is kept.
 */
export function checkNameLengths(rawName: string, linkTarget: string | undefined, limits: BundleLimits): void {
  const shown = rawName.length > 200 ? `${rawName.slice(0, 200)}…` : rawName;
  const bytes = Buffer.byteLength(rawName);
  if (bytes > limits.maxPathBytes) {
    throw new BundleError(BundleErrorNames.TooLarge, `entry '${shown}' has a ${bytes}-byte name, above maxPathBytes ${limits.maxPathBytes}`, { entry: shown });
  }
  const longest = Math.max(...rawName.split(/[\\/]/).map((part) => Buffer.byteLength(part)));
  if (longest > 255) throw new BundleError(BundleErrorNames.TooLarge, `entry '${shown}' has a ${longest}-byte name component, above the 255 bytes filesystems allow`, { entry: shown });
  if (linkTarget !== undefined && Buffer.byteLength(linkTarget) > limits.maxLinkTargetBytes) {
    throw new BundleError(BundleErrorNames.TooLarge, `link '${shown}' has a target longer than ${limits.maxLinkTargetBytes} bytes (maxLinkTargetBytes)`, { entry: shown });
  }
}
