/** What Lambda reports for code it accepted into $LATEST. */
export interface UploadedCode {
  codeSha256: string;
  revisionId: string;
}

/**
 * A function's code and versions. Uploading changes $LATEST only; a version is published by the
 * release workflow itself (PublishVersion pinned to the CodeSha256 and RevisionId read back).
 */
export interface LambdaCodePort {
  /** UpdateFunctionCode with the zip bytes. An update still in progress throws `Deploy.Transient` (retried by the workflow). */
  updateFunctionZip(functionName: string, zip: Uint8Array): Promise<UploadedCode>;
  /** Whether the function (or the given version or alias of it) exists. */
  functionExists(functionName: string, qualifier?: string): Promise<boolean>;
}
