import { Transform, type TransformCallback } from "node:stream";
import { BundleError, BundleErrorNames } from "./errors.js";

/** Passes bytes through, counting them; fails with Bundle.TooLarge once more than `cap` have gone by. Keeps the first 512 bytes for sniffing. */
export class ByteCap extends Transform {
  bytes = 0;
  head: Buffer = Buffer.alloc(0);
  constructor(
    private readonly cap: number,
    /** The message of the Bundle.TooLarge error, or the error itself. */
    private readonly tooLarge: (cap: number) => string | BundleError,
    /** Called with the running count after each chunk; what it throws fails the stream. */
    private readonly watch?: (bytes: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.head.length < 512) this.head = Buffer.concat([this.head, chunk.subarray(0, 512 - this.head.length)]);
    if (this.bytes > this.cap) {
      const refusal = this.tooLarge(this.cap);
      done(typeof refusal === "string" ? new BundleError(BundleErrorNames.TooLarge, refusal) : refusal);
      return;
    }
    try {
      this.watch?.(this.bytes);
    } catch (e) {
      done(e as Error);
      return;
    }
    done(null, chunk);
  }
}
