import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTaskDefinitionRef, shortTaskDefinition, taskDefinitionRefText } from "../../../functions/domain/ecs/index.js";
import { TD } from "./fixtures.js";

describe("parseTaskDefinitionRef", () => {
  it.each([
    [TD, { form: "arn", arn: TD, family: "web", revision: 7 }],
    ["web:7", { form: "family:revision", family: "web", revision: 7 }],
    ["web", { form: "family", family: "web" }],
    ["arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/my_app-2:12", { form: "arn", arn: "arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/my_app-2:12", family: "my_app-2", revision: 12 }],
  ])("reads %s", (value, expected) => {
    expect(parseTaskDefinitionRef(value)).toEqual(expected);
  });

  it.each([
    ["web:0", "family:revision"],
    ["web:1:2", "must be a task definition ARN"],
    ["web app", "must be a task definition ARN"],
    ["<TASK_DEFINITION>", "unrendered placeholder <TASK_DEFINITION>"],
    ["{{image}}", "unrendered placeholder"],
    ["", "must be a task definition ARN, family:revision or family"],
  ])("refuses %s", (value, reason) => {
    expect(() => parseTaskDefinitionRef(value, "revision.taskDefinition")).toThrow(reason);
    expect(() => parseTaskDefinitionRef(value, "revision.taskDefinition")).toThrow("revision.taskDefinition");
  });

  it("gives back what it read, in every form", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/), fc.integer({ min: 1, max: 100000 }), (family, revision) => {
        for (const text of [family, `${family}:${revision}`, `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`]) {
          expect(taskDefinitionRefText(parseTaskDefinitionRef(text))).toBe(text);
        }
        expect(shortTaskDefinition(`arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`)).toBe(`${family}:${revision}`);
      }),
    );
  });
});
