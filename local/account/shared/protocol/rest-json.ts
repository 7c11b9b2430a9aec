import type { AwsError } from "./errors.js";
import type { WireResponse } from "./wire.js";

/**
 * AWS restJson1 (Lambda). Errors carry the code in the `x-amzn-ErrorType` header, which the SDK
 * reads first for REST-JSON (@smithy/core/protocols `loadRestJsonErrorCode`: header, then body
 * `code`, then `__type`), and a JSON body with the modelled members (for Lambda `Type` plus
 * `message` or `Message`, depending on the error shape in the Lambda model).
 */
export function restJsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): WireResponse {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? "" : JSON.stringify(body),
  };
}

export function restJsonError(error: AwsError, messageKey: "message" | "Message" = "message"): WireResponse {
  return {
    status: error.status,
    headers: { "content-type": "application/json", "x-amzn-errortype": error.code, ...error.headers },
    body: JSON.stringify({ Type: error.fault === "client" ? "User" : "Service", [messageKey]: error.message, ...error.fields }),
  };
}
