import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The long property suites: a project of their own, run by npm test as a separate stage without coverage. */
const FAULT_INJECTION = "test/fault-injection";

/**
 * The fault-injection suites are the longest files by far: they start first, so the other worker
 * runs every other file meanwhile instead of one suite running alone at the end. Then the files marked
 * `@long-running` in a comment (each 25-105 s: wall-time waits, real bash, many scenarios). Vitest orders
 * by the last run's durations when it has them; a fresh clone (CI) has none, and these files started
 * late ran alone at the end: npm test took 300 s from a fresh clone against 238 s with the cache.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const id = f.moduleId.replaceAll("\\", "/");
      return id.includes(`/${FAULT_INJECTION}/`) ? 0 : LONG_RUNNING.some((l) => id.endsWith(`/${l}`)) ? 1 : 2;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

const ROOT = path.dirname(fileURLToPath(import.meta.url));
/**
 * What a test file may do to the module graph that a later file in the same worker would inherit: replace modules
 * (vi.mock), patch SDK clients' prototypes (aws-sdk-client-mock), spy on or stub globals, fake the timers; or
 * install (and assert the defaults of) the process-wide seams: transport, clock, back-off clock. A world left
 * open by an earlier file in the same worker would otherwise leave its transport installed.
 */
const PATCHES_MODULES = /\bvi\.(mock|doMock|spyOn|stubGlobal|stubEnv|useFakeTimers)\s*\(|\bmockClient\s*\(|\buse(Transport|Clock|BackoffClock)\s*\(/;

/** Test files (repository-relative) whose text matches `pattern`. */
function testFilesMatching(pattern: RegExp, dir = "test"): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return testFilesMatching(pattern, rel);
    return e.name.endsWith(".test.ts") && pattern.test(readFileSync(path.join(ROOT, rel), "utf8")) ? [rel] : [];
  });
}
/** Test files marked `@long-running` (see LongestFirst). */
const LONG_RUNNING = testFilesMatching(/@long-running\b/);
/** Test files that patch modules or globals: each gets a fresh module graph. */
const ISOLATED = testFilesMatching(PATCHES_MODULES);
/**
 * The tests of the packaged stack, which read `osls package`'s output (test/unit/deploy/package-fixture.ts): a
 * project of their own, so that npm test runs them as a small stage after its package stage while every other
 * file starts at once (found by their call, as the isolated files are).
 */
const PACKAGED = testFilesMatching(/\bpackagedService\s*\(/);


export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    globalSetup: ["test/global-setup.ts"],
    // A timeout catches a hang, not slowness: on a 2-core machine shared with other test runs (load 40), the
    // longest property tests took 60-76 s, three times what they take at load 14, and failed at 60 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine. One more than the cores:
    // a few files wait on wall time (run-real-time 60 s, run-endpoint-ecs --real-time 75 s, bash-run install scripts)
    // and would hold a core's worker idle. Whole npm test on the idle 2-core machine (2026-12-03): 340 s with 2
    // workers (CPU 130% of wall), 236 s with 3.
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongestFirst },
    /**
     * Four projects (`--project <name>` selects them; npm test runs the first two with coverage, the other two
     * as stages of their own). Most files share their worker's module graph (isolate: false): importing the SDK, the
     * engine and the simulated account again for every file was about half of the suite's CPU time. Files that
     * patch modules or globals (found by scanning for the calls above, so a new one is isolated without a list
     * to maintain) keep a fresh graph each. Shared files restore what they change (environment, installed
     * transport and clock) in their own after hooks, as they always had to for their own tests.
     */
    projects: [
      // (`include` is per project: with `extends`, a root include would be added to every list.)
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: [...ISOLATED, ...PACKAGED, `${FAULT_INJECTION}/**`], isolate: false } },
      { extends: true, test: { name: "isolated", include: ISOLATED.length ? ISOLATED : ["no-file-patches-modules"], exclude: [...PACKAGED, `${FAULT_INJECTION}/**`], isolate: true } },
      { extends: true, test: { name: "fault-injection", include: [`${FAULT_INJECTION}/**/*.test.ts`], isolate: false } },
      { extends: true, test: { name: "packaged", include: PACKAGED.length ? PACKAGED : ["no-file-reads-the-package"], isolate: false } },
    ],
    coverage: {
      provider: "v8",
      include: ["functions/**/*.ts"],
      reporter: ["text-summary", "json-summary"],
      // Just under what npm test's vitest stage measures (every file but the fault-injection suites,
      // which run without coverage): 96.0% of lines and 84.5% of branches of functions/ once the ECS
      // janitor, the ECS/ELBv2 adapters' error paths and the pipeline stack compiler (which otherwise
      // runs only inside `osls package`, not measured) got unit tests, and the pipeline reader its shape
      // errors. A change that leaves new logic untested fails here.
      thresholds: { lines: 95, branches: 84 },
    },
  },
});
