import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemaOf, PUBLISHED_SCHEMAS } from "../functions/domain/schema/published.js";

/**
 * Writes schemas/<name>.schema.json from the zod schemas (functions/domain/schema/published.ts).
 * `--check` writes nothing and exits 1 naming every file that is out of date.
 */
const dir = fileURLToPath(new URL("../schemas", import.meta.url));
const check = process.argv.includes("--check");
const stale: string[] = [];
for (const name of Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[]) {
  const file = join(dir, `${name}.schema.json`);
  const text = jsonSchemaOf(name);
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {}
  if (current === text) continue;
  if (check) stale.push(file);
  else writeFileSync(file, text);
}
if (stale.length) {
  console.error(`out of date (run npx tsx scripts/generate-schemas.ts): ${stale.join(", ")}`);
  process.exit(1);
}
