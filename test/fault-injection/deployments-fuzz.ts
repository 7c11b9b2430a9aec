import { spawn } from "node:child_process";
import { parseArgs } from "node:util";

/**
 * `npm run fuzz -- --runs 10000 [--shards 4] [--seed N] [--path P]`: the deployments' fault-injection suites
 * (`deployments-1/2` share the random deployments, `deployments-rivals` the racing pairs) with more runs than CI's 1,000. With shards, the runs are split over that many processes, shard i seeded `seed + i`
 * (each prints its seed; a failing shard replays alone with FAULT_SEED and FAULT_PATH). `--path` replays one run.
 */
const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" }, shards: { type: "string", default: "1" }, seed: { type: "string" }, path: { type: "string" } } });
const shards = values.path ? 1 : Math.max(1, Number(values.shards));
const base = values.seed === undefined ? undefined : Number(values.seed);
const runs = Math.ceil(Number(values.runs) / shards);

const exits = await Promise.all(
  Array.from({ length: shards }, (_, i) => {
    const env = {
      ...process.env,
      FAULT_RUNS: String(runs),
      ...(base === undefined ? {} : { FAULT_SEED: String(base + i) }),
      ...(values.path ? { FAULT_PATH: values.path } : {}),
    };
    const child = spawn("npx", ["vitest", "run", "test/fault-injection/deployments-"], { stdio: "inherit", env });
    return new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  }),
);
process.exit(exits.every((c) => c === 0) ? 0 : 1);
