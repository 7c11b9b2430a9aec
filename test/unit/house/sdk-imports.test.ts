import { describe, expect, it } from "vitest";
import { offendingLines, sourceFiles } from "./source-tree.js";

/**
 * House rule: the AWS SDK is imported only at the SDK edge. functions/adapters is the one place production code
 * talks to AWS (one narrow adapter per service, mapping SDK errors to named errors); local/ is the simulated account
 * and runtime, which speak the wire protocols; test/ and bench/ drive emulators and adapters from the outside.
 * Everything else (handlers, services, domain, the CLI, scripts, config) reaches AWS through a port.
 */
const SDK_EDGE = [/^functions\/adapters\//, /^local\//, /^test\//, /^bench\//];
/** Static, type-only, dynamic and require imports of an AWS SDK v3 package (@aws-sdk/* or its @smithy/* core). */
const SDK_IMPORT = /(from\s+|import\s*\(\s*|require\s*\(\s*|^\s*import\s+)["'](@aws-sdk|@smithy)\//;

describe("AWS SDK imports", () => {
  it("the pattern sees every form of import and nothing else", () => {
    const lines = [
      ['import { LambdaClient } from "@aws-sdk/client-lambda";', true],
      ['import type { HttpRequest } from "@smithy/core/transport";', true],
      ['  const { LambdaClient } = await import("@aws-sdk/client-lambda");', true],
      ["const s3 = require('@aws-sdk/client-s3');", true],
      ['import "@aws-sdk/client-sfn";', true],
      ['import { clientOptions } from "../adapters/clients.js";', false],
      ['// the SDK ("@aws-sdk/client-lambda") maps this error', false],
    ] as const;
    for (const [line, imports] of lines) expect(SDK_IMPORT.test(line), line).toBe(imports);
  });

  it("only the SDK edge imports the AWS SDK", () => {
    const files = sourceFiles(".").filter((f) => !SDK_EDGE.some((edge) => edge.test(f)));
    expect(files).toContain("functions/handlers/start.ts");
    expect(offendingLines(files, SDK_IMPORT)).toEqual([]);
  });
});
