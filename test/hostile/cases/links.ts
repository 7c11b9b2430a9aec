import type { HostileCase } from "../case.js";
import { APPSPEC_ENTRY, ALL_KINDS, inFormats, TAR_KINDS } from "./inputs.js";

const UP = { name: "a/b/c/up", symlink: "../../.." };
const THROUGH = { name: "a/b/c/passwd", symlink: "up/../../../etc/passwd" };

export const linkCases: HostileCase[] = [
  ...inFormats("single-link escapes", "symlink ../../etc", ALL_KINDS, [APPSPEC_ENTRY, { name: "web/link", symlink: "../../etc" }], "Bundle.UnsafePath", "points outside the bundle root"),
  ...inFormats("single-link escapes", "symlink /etc/passwd", ALL_KINDS, [APPSPEC_ENTRY, { name: "link", symlink: "/etc/passwd" }], "Bundle.UnsafePath", "points outside the bundle root"),
  ...inFormats("single-link escapes", "symlink C:\\Windows", ALL_KINDS, [APPSPEC_ENTRY, { name: "link", symlink: "C:\\Windows" }], "Bundle.UnsafePath", "points outside the bundle root"),
  ...inFormats("single-link escapes", "hardlink ../../etc/shadow", TAR_KINDS, [APPSPEC_ENTRY, { name: "h", hardlink: "../../etc/shadow" }], "Bundle.UnsafePath", "points outside the bundle root"),
  ...inFormats("single-link escapes", "hardlink /etc/shadow", TAR_KINDS, [APPSPEC_ENTRY, { name: "h", hardlink: "/etc/shadow" }], "Bundle.UnsafePath", "points outside the bundle root"),
  ...inFormats("single-link escapes", "a file written through a link", ALL_KINDS, [APPSPEC_ENTRY, { name: "d", symlink: "scripts" }, { name: "d/evil.sh", content: "x" }], "Bundle.UnsafePath", "beneath the link 'd'"),
  ...inFormats("link chains", "a link through an earlier one", ALL_KINDS, [APPSPEC_ENTRY, UP, THROUGH], "Bundle.UnsafePath", "through the symlink 'a/b/c/up'"),
  ...inFormats("link chains", "a link through a later one", ALL_KINDS, [APPSPEC_ENTRY, THROUGH, UP], "Bundle.UnsafePath", "through the symlink 'a/b/c/up'"),
  ...inFormats("link chains", "a link to a link", ALL_KINDS, [APPSPEC_ENTRY, { name: "l1", symlink: "a" }, { name: "l2", symlink: "l1" }], "Bundle.UnsafePath", "through the symlink 'l1'"),
  ...inFormats("link chains", "a detour through a missing name", ALL_KINDS, [APPSPEC_ENTRY, UP, { name: "a/b/c/p", symlink: "none/../up/../../../x" }], "Bundle.UnsafePath", "through the symlink 'a/b/c/up'"),
  ...inFormats("link chains", "a link through a link spelled in another case", ALL_KINDS, [APPSPEC_ENTRY, { name: "d/UP", symlink: ".." }, { name: "d/p", symlink: "up/../etc/passwd" }], "Bundle.UnsafePath", "through the symlink 'd/UP'"),
  ...inFormats("hard link to symlink", "hardlink to a symlink deeper down", TAR_KINDS, [APPSPEC_ENTRY, { name: "a/b/l", symlink: "../../x" }, { name: "h", hardlink: "a/b/l" }], "Bundle.UnsafePath", "is a symlink"),
  ...inFormats("hard link to symlink", "hardlink to a later entry", TAR_KINDS, [APPSPEC_ENTRY, { name: "h", hardlink: "f" }, { name: "f", content: "x" }], "Bundle.UnsafePath", "is not an earlier entry"),
  ...inFormats("hard link to symlink", "hardlink to a name outside the bundle", TAR_KINDS, [APPSPEC_ENTRY, { name: "h", hardlink: "etc/passwd" }], "Bundle.UnsafePath", "is not an earlier entry"),
];
