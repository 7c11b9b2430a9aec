import { AwsError } from "./errors.js";

/** Opaque markers/NextTokens: the base64 of the next index. */
export function paginate<T>(
  items: readonly T[],
  marker: string | undefined,
  maxItems: number,
  invalidToken: () => AwsError = () => new AwsError("InvalidParameterValueException", "Invalid pagination marker.", { status: 400 }),
): { page: T[]; next?: string } {
  let start = 0;
  if (marker) {
    const n = Number(Buffer.from(marker, "base64").toString("utf8"));
    if (!Number.isInteger(n) || n < 0 || n > items.length) throw invalidToken();
    start = n;
  }
  const page = items.slice(start, start + maxItems);
  const end = start + page.length;
  return end < items.length ? { page, next: Buffer.from(String(end)).toString("base64") } : { page };
}
