// asl-validator 4 ships no TypeScript types; this is the slice scripts/validate-asl.ts uses.
declare module "asl-validator" {
  export interface AslValidationResult { isValid: boolean; errors: Array<{ "Error code"?: string; Message?: string }>; errorsText(separator?: string): string }
  export default function validator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidationResult;
}
