import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

/**
 * `npm run fuzz -- --runs 10000 [--seed N] [--path P]`: the deployments' fault-injection suite with more runs than
 * CI's 1,000 (FAULT_RUNS), or one failing run replayed (FAULT_SEED, FAULT_PATH).
 */
const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" }, seed: { type: "string" }, path: { type: "string" } } });
const env = {
  ...process.env,
  FAULT_RUNS: values.runs,
  ...(values.seed ? { FAULT_SEED: values.seed } : {}),
  ...(values.path ? { FAULT_PATH: values.path } : {}),
};
const run = spawnSync("npx", ["vitest", "run", "test/fault-injection/deployments.property.test.ts"], { stdio: "inherit", env });
process.exit(run.status ?? 1);
