import { describe, expect, it } from "vitest";
import { read } from "./source-tree.js";

/** docs/architecture.md's diagram drifted once (4 of 18 handlers shown): it must name every function and state machine the stack deploys. */
const diagram = (): string => /```mermaid\n([\s\S]*?)```/.exec(read("docs/architecture.md"))?.[1] ?? "";
const topLevelKeys = (yml: string, section: string): string[] => {
  const body = new RegExp(`^${section}:\\n([\\s\\S]*?)^\\S`, "m").exec(yml)?.[1] ?? "";
  return [...body.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1] as string);
};

describe("docs/architecture.md", () => {
  it("its diagram names every function of serverless.yml", () => {
    const functions = topLevelKeys(read("serverless.yml"), "functions");
    expect(functions.length).toBeGreaterThan(10);
    expect(functions.filter((f) => !diagram().includes(f))).toEqual([]);
  });

  it("its diagram shows every state machine, the registry table and the event buses", () => {
    const machines = [...read("serverless.yml").matchAll(/definition: \$\{file\(\.\/statemachines\/([\w-]+)\.asl\.json\)\}/g)].map((m) => m[1] as string);
    expect(machines.length).toBeGreaterThanOrEqual(3);
    for (const name of [...machines, "DynamoDB registry table", "default bus", "event bus"]) expect(diagram()).toContain(name);
  });

  it("stays short", () => {
    const prose = read("docs/architecture.md").replace(/```mermaid[\s\S]*?```/, "");
    expect(prose.split(/\s+/).filter(Boolean).length).toBeLessThan(1300);
  });
});
