import { GetParameterCommand, ParameterNotFound, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createParameterSecretsAdapter } from "../../../functions/adapters/ssm-parameters.js";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import { awsError } from "./helpers.js";

const ssm = mockClient(SSMClient);
beforeEach(() => ssm.reset());
afterAll(() => ssm.restore());

describe("the Parameter Store secrets adapter", () => {
  it("reads the parameter decrypted, on every call (a rotated secret applies at once)", async () => {
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Name: "hook", Type: "SecureString", Value: "one" } }).resolvesOnce({ Parameter: { Name: "hook", Type: "SecureString", Value: "two" } });
    const secrets = createParameterSecretsAdapter();
    expect([await secrets.secret("hook"), await secrets.secret("hook")]).toEqual(["one", "two"]);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: "hook", WithDecryption: true }, { Name: "hook", WithDecryption: true }]);
  });

  it("ParameterNotFound is no secret; a throttle is the transient error the handler's caller retries", async () => {
    ssm.on(GetParameterCommand).rejectsOnce(new ParameterNotFound({ message: "not found", $metadata: { httpStatusCode: 400 } })).rejectsOnce(awsError("ThrottlingException", { $fault: "client", httpStatusCode: 400 }));
    const secrets = createParameterSecretsAdapter();
    expect(await secrets.secret("missing")).toBeUndefined();
    const e = await secrets.secret("hook").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StepDeployError);
    expect((e as StepDeployError).name).toBe(ErrorNames.Transient);
  });
});
