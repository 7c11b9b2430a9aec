import type { ScalarTag, CollectionTag } from "yaml";

/**
 * CloudFormation intrinsics inside a pipeline resource. They are left unresolved (CloudFormation
 * resolves them when the stack deploys): validation reports each as a warning and skips the format
 * checks of that value; the model keeps a readable short form.
 *
 * Short-form YAML tags (`!Ref X`, `!Sub ...`, `!GetAtt A.B`, ...) are read into the same JSON
 * objects as the long form ({"Ref": "X"}, {"Fn::Sub": ...}), as CloudFormation does
 * (AWS CloudFormation User Guide, intrinsic-function-reference).
 */
const FUNCTIONS = ["Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "If", "Equals", "Not", "And", "Or", "ToJsonString", "Length"];

function longForm(name: string): string {
  return name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
}

function tagsFor(name: string): (ScalarTag | CollectionTag)[] {
  const key = longForm(name);
  const scalar = (value: string): unknown => {
    if (name === "GetAtt") {
      const dot = value.indexOf(".");
      return { [key]: dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : [value] };
    }
    return { [key]: value };
  };
  const collection = (node: { toJSON(): unknown }): unknown => ({ [key]: node.toJSON() });
  return [
    { tag: `!${name}`, resolve: scalar },
    { tag: `!${name}`, collection: "seq", resolve: collection as CollectionTag["resolve"] },
    { tag: `!${name}`, collection: "map", resolve: collection as CollectionTag["resolve"] },
  ] as (ScalarTag | CollectionTag)[];
}

/** Custom tags for the yaml parser: every CloudFormation short form. */
export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = ["Ref", "Condition", ...FUNCTIONS].flatMap(tagsFor);

/** `{"Ref": ...}`, `{"Fn::X": ...}` or `{"Condition": ...}` with nothing else: an intrinsic. */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0] === "Condition" || (keys[0] ?? "").startsWith("Fn::"));
}

function short(value: unknown): string {
  if (isIntrinsic(value)) return describeIntrinsic(value);
  if (typeof value === "string") return value.includes(" ") || value === "" ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** The short form as a person writes it: `!Ref SourceBucket`, `!GetAtt Role.Arn`, `!Sub "arn:...${X}"`. */
export function describeIntrinsic(value: Record<string, unknown>): string {
  const [key, arg] = Object.entries(value)[0] as [string, unknown];
  const name = key.replace(/^Fn::/, "");
  if (name === "GetAtt" && Array.isArray(arg)) return `!GetAtt ${arg.map(String).join(".")}`;
  if (typeof arg === "string") return `!${name} ${short(arg)}`;
  if (Array.isArray(arg)) return `!${name} [${arg.map(short).join(", ")}]`;
  return `!${name} ${JSON.stringify(arg)}`;
}
