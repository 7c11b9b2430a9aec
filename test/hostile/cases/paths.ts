import fc from "fast-check";
import type { HostileCase } from "../case.js";
import { APPSPEC_ENTRY, ALL_KINDS, inFormats } from "./inputs.js";

/** Names with at least one `..` component among harmless ones, from a fixed seed. */
const climbing = fc.sample(
  fc
    .tuple(fc.array(fc.constantFrom("a", "b", ".", "web"), { maxLength: 3 }), fc.array(fc.constantFrom("a", "..", "x.sh"), { maxLength: 3 }), fc.constantFrom("/", "\\"))
    .map(([before, after, separator]) => [...before, "..", ...after, "evil.sh"].join(separator)),
  { seed: 8, numRuns: 8 },
);

export const pathCases: HostileCase[] = [
  ...["../evil.sh", "a/../../evil.sh", "..\\evil.sh", "./../evil.sh", ...new Set(climbing)].flatMap((name) =>
    inFormats("path traversal", JSON.stringify(name), ALL_KINDS, [APPSPEC_ENTRY, { name, content: "x" }], "Bundle.UnsafePath", "climbs out of the bundle root"),
  ),
  ...["/etc/cron.d/evil", "C:/Windows/evil.exe", "C:evil", "\\\\server\\share\\evil", "\\evil"].flatMap((name) =>
    inFormats("absolute paths", JSON.stringify(name), ALL_KINDS, [APPSPEC_ENTRY, { name, content: "x" }], "Bundle.UnsafePath", "absolute path"),
  ),
  ...inFormats("names that cannot be extracted", "a NUL byte (a tar name ends at one)", ["zip"], [APPSPEC_ENTRY, { name: "a\0.sh", content: "x" }], "Bundle.UnsafePath", "NUL byte"),
  ...inFormats("names that cannot be extracted", "a 5,000-byte name", ALL_KINDS, [APPSPEC_ENTRY, { name: `${"d/".repeat(2500)}f`, content: "x" }], "Bundle.TooLarge", "maxPathBytes"),
  ...inFormats("names that cannot be extracted", "a 300-byte component", ALL_KINDS, [APPSPEC_ENTRY, { name: `d/${"n".repeat(300)}`, content: "x" }], "Bundle.TooLarge", "name component"),
];
