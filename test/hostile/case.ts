/**
 * The hostile-input table: every class of input an attacker controls (bundles, appspecs, and later deployment
 * inputs, release targets, endpoints), each case with the named error it must be refused with. One runner
 * (hostile.test.ts) asserts the error and that nothing was written or changed; the benchmark (bench/hostile.ts)
 * reads the same table and measures time and memory per case. To add a class: write `cases/<class>.ts`
 * exporting HostileCase[] for an existing surface (or add a surface in `surfaces/`) and list it in cases/index.ts.
 */
export interface HostileCase<Input = unknown> {
  /** The class, as the bench table groups it: "path traversal", "zip bombs and high ratios", ... */
  class: string;
  /** What this case tries, in a few words. */
  name: string;
  surface: Surface<Input>;
  /**
   * Builds the input, deterministically (fixed data, or fast-check with a fixed seed). Large data goes to files in
   * `dir`; the value returned must survive JSON (the benchmark hands it to a fresh process).
   */
  generate(dir: string): Promise<Input> | Input;
  /** The `name` of the error the input must be refused with (e.g. "Bundle.UnsafePath"). */
  expectError: string;
  /** Part of the message: the rule or limit it names. */
  expectMessage?: string;
}

/** Where hostile input enters the real code: a bundle inspection, an AppSpec parse, a CLI command, ... */
export interface Surface<Input> {
  name: string;
  /**
   * Feeds the input to the real code, working in `sandbox` (an empty directory: temp files, extraction target).
   * Resolves with the error it was refused with (undefined when accepted) and every path it left in the sandbox
   * or state it changed (e.g. a polluted prototype): on refusal that list must be empty.
   */
  attempt(input: Input, sandbox: string): Promise<Attempt>;
}

export interface Attempt {
  error?: { name: string; message: string };
  changed: string[];
}

/** The error as an Attempt reports it. */
export function refusedWith(e: unknown): { name: string; message: string } {
  return e instanceof Error ? { name: e.name, message: e.message } : { name: "(not an Error)", message: String(e) };
}
