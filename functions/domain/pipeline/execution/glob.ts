/**
 * The glob patterns of V2 trigger filters (branches, tags, file paths), as the CodePipeline user guide
 * defines them ("Working with glob patterns in syntax"): `*` is zero or more characters of a name
 * component (not crossing `/`), `**` zero or more characters crossing `/`, `?` one character of a name
 * component, `[...]` one character of a set or range (`[!...]` negated; inside, `*`, `?` and `\` are
 * themselves, and `-` first is itself), `{a,b}` any of the sub-patterns (not nested), `\` escapes. A
 * pattern matches the whole name. An invalid pattern (an unclosed `[` or `{`, a nested `{`) is an error.
 */
export class GlobError extends Error {
  constructor(pattern: string, reason: string) {
    super(`glob '${pattern}': ${reason}`);
    this.name = "GlobError";
  }
}

const SPECIAL = /[.+^$()|\\/[\]{}*?]/g;
const escapeRe = (c: string) => c.replace(SPECIAL, "\\$&");

function bracket(pattern: string, start: number): { re: string; end: number } {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === "!") {
    negate = true;
    i++;
  }
  let body = "";
  const first = i;
  while (i < pattern.length && (pattern[i] !== "]" || i === first)) {
    const c = pattern[i] as string;
    body += c === "-" && i !== first && pattern[i + 1] !== "]" ? "-" : c === "^" || c === "\\" || c === "[" || c === "]" || c === "-" ? `\\${c}` : c;
    i++;
  }
  if (i >= pattern.length) throw new GlobError(pattern, `'[' at ${start} is not closed`);
  return { re: negate ? `[^/${body}]` : `[${body}]`, end: i };
}

function toRegExpSource(pattern: string): string {
  let re = "";
  let inGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      if (i + 1 >= pattern.length) throw new GlobError(pattern, "ends with an escape");
      re += escapeRe(pattern[++i] as string);
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const b = bracket(pattern, i);
      re += b.re;
      i = b.end;
    } else if (c === "{") {
      if (inGroup) throw new GlobError(pattern, "groups cannot be nested");
      inGroup = true;
      re += "(?:";
    } else if (c === "}" && inGroup) {
      inGroup = false;
      re += ")";
    } else if (c === "," && inGroup) re += "|";
    else re += escapeRe(c);
  }
  if (inGroup) throw new GlobError(pattern, "'{' is not closed");
  return re;
}

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${toRegExpSource(pattern)}$`, "s");
    cache.set(pattern, re);
  }
  return re;
}

export function globMatches(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

/** The message of an invalid pattern, or undefined when it is valid (for validation with a path). */
export function globProblem(pattern: string): string | undefined {
  try {
    globToRegExp(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface IncludeExclude {
  includes?: string[];
  excludes?: string[];
}

/** CodePipeline's rule for one criteria object: excluded wins; with includes, one must match; without, anything not excluded. */
export function passesCriteria(criteria: IncludeExclude | undefined, name: string): boolean {
  if (!criteria) return true;
  if ((criteria.excludes ?? []).some((p) => globMatches(p, name))) return false;
  return !criteria.includes?.length || criteria.includes.some((p) => globMatches(p, name));
}
