import { describe, expect, it } from "vitest";
import { readableCause } from "../../../local/simulate/after-run.js";

/** Reports carry `{error, cause}` with a cause a person reads: never a JSON text inside the string. */
const lambdaError = (message: string) => JSON.stringify({ errorType: "Deploy.ResourceNotFound", errorMessage: message, trace: [] });

describe("readableCause", () => {
  it.each([
    ["absent", undefined, undefined],
    ["plain text stays", "hook CodeDeployHook_x returned Failed: smoke test failed", "hook CodeDeployHook_x returned Failed: smoke test failed"],
    ["a Lambda error's JSON: its message", lambdaError("alias orders:live does not exist"), "alias orders:live does not exist"],
    [
      "a failed nested execution: its name, error and readable cause",
      JSON.stringify({ Name: "d-ABCDEFGH1", Status: "FAILED", Error: "Deploy.AlarmTriggered", Cause: "alarm orders-errors is in ALARM" }),
      "execution d-ABCDEFGH1 failed: Deploy.AlarmTriggered: alarm orders-errors is in ALARM",
    ],
    [
      "nested twice, with a Lambda error inside",
      JSON.stringify({ Name: "d-ABCDEFGH1", Error: "Deploy.ResourceNotFound", Cause: lambdaError("function orders has no version 9") }),
      "execution d-ABCDEFGH1 failed: Deploy.ResourceNotFound: function orders has no version 9",
    ],
    ["other JSON stays as written", '{"Entries":[]}', '{"Entries":[]}'],
    ["a JSON string literal stays", '"quoted"', '"quoted"'],
  ])("%s", (_, cause, expected) => {
    expect(readableCause(cause)).toBe(expected);
  });
});
