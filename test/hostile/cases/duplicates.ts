import type { HostileCase } from "../case.js";
import { APPSPEC_ENTRY, ALL_KINDS, inFormats } from "./inputs.js";

export const duplicateCases: HostileCase[] = [
  ...inFormats("duplicates", "the appspec twice", ALL_KINDS, [APPSPEC_ENTRY, { name: "appspec.yml", content: "version: 0.0\nos: windows\n" }], "Bundle.DuplicateEntry", "appears more than once"),
  ...inFormats("duplicates", "./a and a", ALL_KINDS, [APPSPEC_ENTRY, { name: "./a", content: "1" }, { name: "a", content: "2" }], "Bundle.DuplicateEntry", "appears more than once"),
  ...inFormats("duplicates", "a file where a directory was", ALL_KINDS, [APPSPEC_ENTRY, { name: "d/x", content: "1" }, { name: "d", content: "2" }], "Bundle.DuplicateEntry", "used 'd' as a directory"),
  ...inFormats("duplicates", "a file beneath a file", ALL_KINDS, [APPSPEC_ENTRY, { name: "f", content: "1" }, { name: "f/x", content: "2" }], "Bundle.DuplicateEntry", "made it a file"),
  ...inFormats("case-insensitive duplicates", "appspec.yml and APPSPEC.YML", ALL_KINDS, [APPSPEC_ENTRY, { name: "APPSPEC.YML", content: "version: 0.0\nos: windows\n" }], "Bundle.DuplicateEntry", "differ only in letter case"),
  ...inFormats("case-insensitive duplicates", "Web/x and web/x", ALL_KINDS, [APPSPEC_ENTRY, { name: "Web/x", content: "1" }, { name: "web/x", content: "2" }], "Bundle.DuplicateEntry", "differ only in letter case"),
  ...inFormats("case-insensitive duplicates", "composed and decomposed accents", ALL_KINDS, [APPSPEC_ENTRY, { name: "caf\u00e9", content: "1" }, { name: "cafe\u0301", content: "2" }], "Bundle.DuplicateEntry", "differ only in letter case"),
  ...inFormats("case-insensitive duplicates", "a file beneath a link spelled in another case", ALL_KINDS, [APPSPEC_ENTRY, { name: "D", symlink: "web" }, { name: "d/x", content: "1" }], "Bundle.UnsafePath", "beneath the link 'D'"),
];
