/**
 * Field paths in errors (docs/appspec.md "Paths"): `Hooks[1].AfterInstall`, `hooks.BeforeInstall[0].timeout`,
 * `Resources[0].myFn.Properties.TargetVersion`. Keys that are not identifier-like are JSON-quoted in brackets
 * (`files[0]["my key"]`); the document itself is `(root)`.
 */
export type PathSegment = string | number;

export const ROOT_PATH = "(root)";

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (PLAIN_KEY.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || ROOT_PATH;
}
