/**
 * Placeholders of appspec files kept as templates and rendered by a pipeline before the deployment: `{{NAME}}`
 * (mustache, Helm, Ansible; spaces inside allowed), `${NAME}` (shell, envsubst, Terraform) and `<NAME>` (the
 * style of CodePipeline's ECS action, which fills `<TASK_DEFINITION>` in the appspec of a CodeDeployToECS action:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/tutorials-ecs-ecr-codedeploy.html). A value holds a
 * placeholder when any part of it is one (`CodeDeployHook_{{ENV}}_pre`).
 */
const STYLES = [/\{\{\s*[A-Za-z_][A-Za-z0-9_.:-]*\s*\}\}/, /\$\{[A-Za-z_][A-Za-z0-9_.:-]*\}/, /<[A-Za-z0-9_.:-]+>/] as const;
const ANY = new RegExp(STYLES.map((s) => s.source).join("|"), "g");

/** Every placeholder in `value`, as written, in order. */
export function placeholdersIn(value: unknown): string[] {
  return typeof value === "string" ? [...value.matchAll(ANY)].map((m) => m[0]) : [];
}

export function isPlaceholder(value: unknown): boolean {
  return placeholdersIn(value).length > 0;
}

/**
 * A whole value that is only a mustache or shell placeholder, written without quotes where YAML or JSON would not
 * read it as text: YAML reads `Name: {{NAME}}` as a nested flow map, and JSON has no bare words at all. They are
 * quoted here, within their line (line numbers stay those of the file), so the template parses into the same tree
 * as its rendered form, with the placeholder as a string value. Anything else is left as written.
 */
// Linear on any line (hostile files included): one token at the end of a line, after `key: `, list dashes or nothing.
const BARE_YAML = /(:[ \t]+|^[ \t]*(?:-[ \t]+)*)(\{\{[ \t]*[A-Za-z_][A-Za-z0-9_.:-]*[ \t]*\}\})([ \t]*(?:#.*)?\r?)$/;
const BARE_JSON = /([:[,]\s*)(\{\{\s*[A-Za-z_][A-Za-z0-9_.:-]*\s*\}\}|\$\{[A-Za-z_][A-Za-z0-9_.:-]*\}|<[A-Za-z0-9_.:-]+>)(?=\s*(?:[,}\]]|$))/gm;

export function quoteBarePlaceholders(text: string, format: "yaml" | "json"): string {
  if (format === "json") return text.replace(BARE_JSON, (_, before: string, token: string) => `${before}"${token}"`);
  return text
    .split("\n")
    .map((line) => (line.includes("{{") ? line.replace(BARE_YAML, (_, before: string, token: string, after: string) => `${before}"${token}"${after}`) : line))
    .join("\n");
}
