import { createHash } from "node:crypto";
import type { LambdaCodePort, UploadedCode } from "../../../functions/ports/lambda-code.js";

/** Functions and their versions in memory; every upload is recorded (function name, CodeSha256). */
export class FakeLambdaCode implements LambdaCodePort {
  readonly versions = new Map<string, Set<string>>();
  readonly uploads: { functionName: string; codeSha256: string }[] = [];
  /** Makes Lambda report another CodeSha256 than the bytes' (a concurrent writer). */
  reportedSha?: string;

  add(functionName: string, versions = 1): this {
    this.versions.set(functionName, new Set(Array.from({ length: versions }, (_, i) => String(i + 1))));
    return this;
  }

  async updateFunctionZip(functionName: string, zip: Uint8Array): Promise<UploadedCode> {
    const codeSha256 = this.reportedSha ?? createHash("sha256").update(zip).digest("base64");
    this.uploads.push({ functionName, codeSha256 });
    return { codeSha256, revisionId: `rev-${this.uploads.length}` };
  }

  async functionExists(functionName: string, qualifier?: string): Promise<boolean> {
    const versions = this.versions.get(functionName);
    return Boolean(versions && (qualifier === undefined || versions.has(qualifier)));
  }
}
