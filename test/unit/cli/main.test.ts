import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../cli/command-table.js";
import { memoryIO } from "../../../cli/io.js";
import { main } from "../../../cli/main.js";

describe("stepdeploy main", () => {
  it.each([[[]], [["help"]], [["--help"]], [["-h"]]])("%j prints every command of the table with its summary, exit 0", async (argv) => {
    const io = memoryIO();
    expect(await main(argv, io)).toBe(0);
    for (const [name, { summary }] of Object.entries(COMMANDS)) expect(io.stdout).toContain(`  ${name.padEnd(10)} ${summary}\n`);
    expect(io.stdout).toMatch(/--verbose/);
    expect(io.stderr).toBe("");
  });

  it("an unknown command, or a name that only exists on Object.prototype, is a usage error", async () => {
    for (const name of ["deplyo", "toString", "constructor"]) {
      const io = memoryIO();
      expect(await main([name], io)).toBe(2);
      expect(io.stderr).toBe(`stepdeploy: unknown command '${name}'. Run 'stepdeploy help' for the list.\n`);
    }
  });

  it("an error a command does not handle is printed with its name and exits 2", async () => {
    const io = memoryIO();
    expect(await main(["simulate", "--nope"], io)).toBe(2);
    expect(io.stderr).toMatch(/^stepdeploy simulate: TypeError: Unknown option '--nope'/);
  });

  it("--verbose belongs to the commands that run handlers; the others refuse it", async () => {
    const io = memoryIO();
    expect(await main(["schedule", "CodeDeployDefault.LambdaAllAtOnce", "--verbose"], io)).toBe(2);
    expect(io.stderr).toMatch(/Unknown option '--verbose'/);
    expect(Object.entries(COMMANDS).filter(([, c]) => "runsHandlers" in c).map(([n]) => n)).toEqual(["demo", "simulate", "run", "deploy", "pipeline"]);
  });
});
