import { StepDeployError } from "../errors.js";

/** `error.name` values of bundle problems; stable, matched by the state machines' Catch/Retry. */
export const BundleErrorNames = {
  /** An absolute path, a `..` component, or a link whose target leaves the bundle root. */
  UnsafePath: "Bundle.UnsafePath",
  /** More entries, expanded bytes, or archive bytes than the configured caps (zip bombs land here). */
  TooLarge: "Bundle.TooLarge",
  /** Two entries with the same (normalised) path. */
  DuplicateEntry: "Bundle.DuplicateEntry",
  /** No appspec.yml / appspec.yaml / appspec.json at the bundle root. */
  NoAppSpec: "Bundle.NoAppSpec",
  /** The S3 object is not the pinned revision (ETag / VersionId differ, or If-Match failed). */
  RevisionMismatch: "Bundle.RevisionMismatch",
  /** A zip entry's local header (or data descriptor) disagrees with its central-directory record. */
  HeaderMismatch: "Bundle.HeaderMismatch",
  /** The bytes are not a readable archive of the declared bundleType, or an entry's data does not match its CRC-32. */
  Corrupt: "Bundle.Corrupt",
  /** Device files, FIFOs, encrypted zip entries and other entries a deployment cannot contain. */
  UnsupportedEntry: "Bundle.UnsupportedEntry",
  /** bundleType is not one of tar | tgz | zip | YAML | JSON. */
  InvalidBundleType: "Bundle.InvalidBundleType",
} as const;

export type BundleErrorName = (typeof BundleErrorNames)[keyof typeof BundleErrorNames];

export class BundleError extends StepDeployError {
  /** The archive entry at fault, as written in the archive, when there is one. */
  readonly entry?: string;
  constructor(name: BundleErrorName, message: string, options: { entry?: string; cause?: unknown } = {}) {
    super(name, message, { cause: options.cause });
    if (options.entry !== undefined) this.entry = options.entry;
  }
}
