import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The fault-injection suites are the longest files by far: they start first, so the other worker
 * runs every other file meanwhile instead of one suite running alone at the end. (Vitest orders by
 * the last run's durations when it has them; a fresh clone has none.)
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (f.moduleId.replaceAll("\\", "/").includes("/test/fault-injection/") ? 0 : 1);
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => first(a.f) - first(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine.
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongestFirst },
    coverage: {
      provider: "v8",
      include: ["functions/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
      // Just under what npm test's vitest stage measures (every file but the fault-injection suites,
      // which run without coverage): 94.1% of lines and 85.5% of branches of functions/.
      // A change that leaves new logic untested fails here.
      thresholds: { lines: 93, branches: 84 },
    },
  },
});
