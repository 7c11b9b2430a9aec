import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationErrors } from "../../../functions/domain/errors.js";
import { INVALID_APPSPEC, InvalidAppSpecError, LIFECYCLE, formatPath, loadAppSpec, parseAppSpec, scriptableEvents } from "../../../functions/domain/appspec/index.js";

const lambda = (extra = "", props = "Name: f\n        Alias: live\n        CurrentVersion: 1\n        TargetVersion: 2") =>
  `version: 0.0\nResources:\n  - f:\n      Type: AWS::Lambda::Function\n      Properties:\n        ${props}\n${extra}`;
const ecs = (props: string, extra = "") =>
  `version: 0.0\nResources:\n  - svc:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n${props}${extra}`;
const server = (body: string, os = "linux") => `version: 0.0\nos: ${os}\n${body}`;

// Templates: the ECS helper keeps CodePipeline's <TASK_DEFINITION>, a warning here (an error by default, below).
const errorsOf = (text: string, platform?: "server" | "lambda" | "ecs") => parseAppSpec(text, { ...(platform ? { platform } : {}), allowPlaceholders: true }).errors.map((e) => `${e.path} @${e.line}`);

describe("path syntax", () => {
  it.each([
    [["Hooks", 1, "AfterInstall"], "Hooks[1].AfterInstall"],
    [["hooks", "BeforeInstall", 0, "timeout"], "hooks.BeforeInstall[0].timeout"],
    [["Resources", 0, "my fn", "Type"], 'Resources[0]["my fn"].Type'],
    [["files", 0, "source"], "files[0].source"],
    [[], "(root)"],
  ] as const)("%j → %s", (segments, path) => {
    expect(formatPath(segments)).toBe(path);
  });
});

describe("parseAppSpec never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseAppSpec(text);
        expect(r.valid).toBe(r.errors.length === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it("on arbitrary JSON values given as JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom("server", "lambda", "ecs") as fc.Arbitrary<"server" | "lambda" | "ecs">, (value, platform) => {
        const r = parseAppSpec(JSON.stringify(value, null, "\t") ?? "null", { platform });
        for (const e of r.errors) expect(typeof e.path).toBe("string");
      }),
      { numRuns: 1000 },
    );
  });
});

describe("server hooks", () => {
  const events = scriptableEvents("server");

  it("come out in lifecycle order whatever order the file lists them in", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: 1 }), (picked) => {
        const text = server(`hooks:\n${picked.map((e) => `  ${e}:\n    - location: s/${e}.sh\n      timeout: 10\n`).join("")}`);
        const r = parseAppSpec(text);
        expect(r.valid).toBe(true);
        const order = LIFECYCLE.server.map((e) => e.name);
        expect(r.hooks.map((h) => h.event)).toEqual([...picked].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      }),
    );
  });

  it("are valid exactly when every timeout is 1..3600 and an event's timeouts sum to at most 3600", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 4000 }), { minLength: 1, maxLength: 4 }), (timeouts) => {
        const scripts = timeouts.map((t, i) => `    - location: s${i}.sh\n      timeout: ${t}\n`).join("");
        const r = parseAppSpec(server(`hooks:\n  AfterInstall:\n${scripts}`));
        const ok = timeouts.every((t) => t >= 1 && t <= 3600) && timeouts.reduce((a, b) => a + b, 0) <= 3600;
        expect(r.valid).toBe(ok);
      }),
    );
  });

  it("default the timeout to 3600 s and keep runas", () => {
    const r = loadAppSpec(server("hooks:\n  BeforeInstall:\n    - location: a.sh\n    - location: b.sh\n      runas: root\n"));
    expect(r.hooks).toEqual([
      {
        kind: "scripts",
        event: "BeforeInstall",
        order: 5,
        path: "hooks.BeforeInstall",
        line: 4,
        scripts: [
          { location: "a.sh", timeoutSeconds: 3600 },
          { location: "b.sh", timeoutSeconds: 3600, runas: "root" },
        ],
      },
    ]);
  });

  it.each([
    ["  afterinstall:\n    - location: a\n", "did you mean AfterInstall"],
    ["  AllowTraffic:\n    - location: a\n", "reserved"],
    ["  BlockTraffic:\n    - location: a\n", "reserved"],
    ["  BeforeInstall:\n", "no scripts"],
    ["  BeforeInstall:\n    - location: a\n      timeout: soon\n", "whole number"],
    ["  BeforeInstall:\n    - location: a\n      timeout: 0\n", "positive"],
    ["  BeforeInstall:\n    - location: ''\n", "must not be empty"],
  ])("reject %j (%s)", (hooks, message) => {
    const r = parseAppSpec(server(`hooks:\n${hooks}`));
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.message).join("\n")).toContain(message);
  });
});

describe("server sections", () => {
  it("accepts the number 0.0 and rejects the quoted string for Server, but accepts both for Lambda", () => {
    expect(parseAppSpec(server("")).valid).toBe(true);
    expect(errorsOf('version: "0.0"\nos: linux\n')).toEqual(["version @1"]);
    expect(parseAppSpec(lambda().replace("version: 0.0", 'version: "0.0"')).valid).toBe(true);
  });

  it("checks destinations are fully qualified for the os", () => {
    expect(errorsOf(server("files:\n  - source: /\n    destination: var/www\n"))).toEqual(["files[0].destination @5"]);
    expect(errorsOf(server("files:\n  - source: \\\n    destination: /var/www\n", "windows"))).toEqual(["files[0].destination @5"]);
    expect(errorsOf(server("files:\n  - source: \\\n    destination: \\\\fileserver\\share\n", "windows"))).toEqual([]);
  });

  it.each([
    ["acls: [u:bob:rwz]", "invalid permission character 'z'"],
    ["acls: ['g::r']", "unnamed"],
    ["acls: ['o:bob:r']", "take no name"],
    ["acls: ['d:u:bob:rw', 'default:m::rx', 'u:bob:7']", ""],
    ["context: {user: u}", "type is required"],
    ["context: {type: t, range: 's0-s3:c0.c1023'}", ""],
    ["context: {type: t, range: 's3-s1'}", "below the low"],
    ["context: {type: t, range: 's0:c1,c1'}", "listed twice"],
    ["context: {type: t, range: 's0:c1024'}", "c1023"],
    ["type: [file, socket]", "socket"],
    ["mode: 12345", "1-4 octal digits"],
    ["mode: '0644'", ""],
    ["mode: 4755", ""],
    ["except: secret.txt", "must be a list"],
  ])("permissions entry %s → %s", (line, message) => {
    const r = parseAppSpec(server(`permissions:\n  - object: /opt/app\n    ${line}\n`));
    expect(r.errors.map((e) => e.message).join("\n")).toContain(message);
    expect(r.valid).toBe(message === "");
  });

  it("warns (does not fail) where the agent silently does something else", () => {
    const r = parseAppSpec(server("Hooks:\n  AfterInstall:\n    - location: a\npermissions:\n  - object: /a\n    mode: 0644\n"));
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => w.path)).toEqual(["Hooks", "permissions[0].mode"]);
    expect(r.warnings[0]!.message).toContain("did you mean 'hooks'");
    expect(r.warnings[1]!.message).toContain("octal number 420");
  });
});

describe("Lambda", () => {
  it("returns the function and hooks in execution order", () => {
    const r = loadAppSpec(lambda("Hooks:\n  - AfterAllowTraffic: post\n  - BeforeAllowTraffic: arn:aws:lambda:us-east-1:111122223333:function:pre\n"));
    expect(r.platform).toBe("lambda");
    expect(r.resources).toEqual([
      { kind: "lambda-function", logicalName: "f", name: "f", alias: "live", currentVersion: "1", targetVersion: "2", path: "Resources[0].f", line: 3 },
    ]);
    expect(r.hooks.map((h) => [h.event, h.kind === "function" && h.functionName])).toEqual([
      ["BeforeAllowTraffic", "arn:aws:lambda:us-east-1:111122223333:function:pre"],
      ["AfterAllowTraffic", "post"],
    ]);
  });

  it.each([
    ["CurrentVersion", "Name: f\n        Alias: live\n        TargetVersion: 2"],
    ["Alias", "Name: f\n        CurrentVersion: 1\n        TargetVersion: 2"],
    ["Name", "Alias: live\n        CurrentVersion: 1\n        TargetVersion: 2"],
  ])("requires %s", (key, props) => {
    expect(errorsOf(lambda("", props))).toEqual([`Resources[0].f.Properties.${key} @5`]);
  });

  it.each([
    ["Name: 'my function'", "Name"],
    ["Alias: '123'", "Alias"],
    ["CurrentVersion: 0", "CurrentVersion"],
    ["CurrentVersion: 1.5", "CurrentVersion"],
  ])("rejects %s", (override, key) => {
    const props = ["Name: f", "Alias: live", "CurrentVersion: 1", "TargetVersion: 2"].map((p) => (p.startsWith(`${key}:`) ? override : p)).join("\n        ");
    expect(errorsOf(lambda("", props))).toEqual([`Resources[0].f.Properties.${key} @${5 + ["Name", "Alias", "CurrentVersion"].indexOf(key) + 1}`]);
  });

  it("rejects a second function, two spellings of Resources, multi-event hook entries", () => {
    expect(errorsOf(`${lambda()}  - g:\n      Type: AWS::Lambda::Function\n      Properties: {Name: g, Alias: a, CurrentVersion: 1, TargetVersion: 2}\n`)).toEqual(["Resources[1] @10"]);
    expect(errorsOf(`${lambda()}resources: []\n`)).toEqual(["resources @10"]);
    expect(errorsOf(lambda("Hooks:\n  - BeforeAllowTraffic: a\n    AfterAllowTraffic: b\n"))).toEqual(["Hooks[0] @11"]);
  });

  it("rejects hooks given a list of scripts (the Server form)", () => {
    expect(errorsOf(lambda("Hooks:\n  - BeforeAllowTraffic:\n      - location: a.sh\n"))).toEqual(["Hooks[0].BeforeAllowTraffic @11"]);
  });
});

describe("ECS", () => {
  const lb = "        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\n";

  it("reads the optional properties", () => {
    const r = loadAppSpec(
      ecs(`${lb}        PlatformVersion: 1.4.0\n        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: [s-1]\n            SecurityGroups: [sg-1]\n            AssignPublicIp: DISABLED\n        CapacityProviderStrategy:\n          - {CapacityProvider: FARGATE, Base: 2, Weight: 1}\n`),
      { allowPlaceholders: true },
    );
    expect(r.resources[0]).toMatchObject({
      kind: "ecs-service",
      taskDefinition: "<TASK_DEFINITION>",
      containerName: "web",
      containerPort: 80,
      platformVersion: "1.4.0",
      networkConfiguration: { subnets: ["s-1"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" },
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", base: 2, weight: 1 }],
    });
    expect(r.placeholders).toEqual([{ path: "Resources[0].svc.Properties.TaskDefinition", line: 6, token: "<TASK_DEFINITION>" }]);
  });

  it.each([
    ["        LoadBalancerInfo: {ContainerName: web, ContainerPort: 70000}\n", "Resources[0].svc.Properties.LoadBalancerInfo.ContainerPort @7"],
    [`${lb}        CapacityProviderStrategy:\n          - {CapacityProvider: A, Base: 1}\n          - {CapacityProvider: B, Base: 1}\n`, "Resources[0].svc.Properties.CapacityProviderStrategy[1].Base @12"],
    [`${lb}        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: []\n            SecurityGroups: [sg]\n            AssignPublicIp: ENABLED\n`, "Resources[0].svc.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets @12"],
    [`${lb}        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: [s]\n            SecurityGroups: [sg]\n            AssignPublicIp: MAYBE\n`, "Resources[0].svc.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp @14"],
  ])("rejects %#", (props, error) => {
    expect(errorsOf(ecs(props))).toEqual([error]);
  });

  it("accepts all five hooks and rejects AllowTestTraffic (reserved)", () => {
    const hooks = ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"];
    const r = parseAppSpec(ecs(lb, `Hooks:\n${[...hooks].reverse().map((h) => `  - ${h}: CodeDeployHook_${h}\n`).join("")}`), { allowPlaceholders: true });
    expect(r.hooks.map((h) => h.event)).toEqual(hooks);
    const bad = parseAppSpec(ecs(lb, "Hooks:\n  - AllowTestTraffic: x\n"), { allowPlaceholders: true });
    expect(bad.errors[0]).toMatchObject({ path: "Hooks[0].AllowTestTraffic", line: 11 });
    expect(bad.errors[0]!.message).toContain("reserved");
  });
});

describe("documents", () => {
  it.each([
    ["", "empty"],
    ["# only a comment\n", "empty"],
    ["- a\n- b\n", "must be a map"],
    ["version: 0.0\n", "cannot tell the compute platform"],
    ['{\n  "version": 0.0,\n  "Resources": [\n}\n', "not valid JSON"],
    ["version: 0.0\nos: linux\nos: windows\n", "duplicate key 'os'"],
  ])("%j → %s", (text, message) => {
    const r = parseAppSpec(text);
    expect(r.valid).toBe(false);
    expect(r.errors[0]!.message).toContain(message);
  });

  it("gives the line of a JSON syntax error", () => {
    expect(parseAppSpec('{\n  "version": 0.0,\n  "Resources": [\n}\n').errors[0]!.line).toBe(4);
  });

  it("accepts a byte-order mark and warns about a second document", () => {
    expect(parseAppSpec("\uFEFFversion: 0.0\nos: linux\n").valid).toBe(true);
    const r = parseAppSpec("version: 0.0\nos: linux\n---\nversion: 1\n");
    expect(r.valid).toBe(true);
    expect(r.warnings[0]).toMatchObject({ path: "(root)", line: 3 });
  });

  it("refuses alias bombs", () => {
    const levels = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (const [i, n] of ["b", "c", "d", "e", "f"].entries()) levels.push(`${n}: &${n} [${Array(10).fill(`*${"abcde"[i]}`).join(",")}]`);
    const r = parseAppSpec(server(`${levels.join("\n")}\n`));
    expect(r.errors[0]!.message).toContain("more than 20000 nodes once anchors and aliases are expanded");
  });

  it("warns when the given platform differs from what the content looks like", () => {
    const r = parseAppSpec(server(""), { platform: "lambda" });
    expect(r.warnings[0]!.message).toContain("looks like a Server (EC2/on-premises) AppSpec");
    expect(r.errors.map((e) => e.path)).toEqual(["Resources"]);
  });

  it("refuses placeholders unless told the file is a template", () => {
    const text = ecs("        LoadBalancerInfo: {ContainerName: web, ContainerPort: 80}\n");
    const r = parseAppSpec(text);
    expect(r.errors).toEqual([{ path: "Resources[0].svc.Properties.TaskDefinition", line: 6, message: "placeholder <TASK_DEFINITION> has not been replaced: render the template before deploying" }]);
    const template = parseAppSpec(text, { allowPlaceholders: true });
    expect(template.valid).toBe(true);
    expect(template.warnings.map((w) => [w.path, w.line])).toEqual([["Resources[0].svc.Properties.TaskDefinition", 6]]);
  });
});

describe("loadAppSpec", () => {
  it("throws a ValidationErrors named Deploy.InvalidAppSpec listing every problem with its line", () => {
    let error: unknown;
    try {
      loadAppSpec(lambda("Hooks:\n  BeforeAllowTraffic: x\n", "Name: f\n        Alias: live\n        CurrentVersion: 1"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidAppSpecError);
    expect(error).toBeInstanceOf(ValidationErrors);
    const e = error as InvalidAppSpecError;
    expect(e.name).toBe(INVALID_APPSPEC);
    expect(e.name).toBe("Deploy.InvalidAppSpec");
    expect(e.problems.map((p) => p.field)).toEqual(["Resources[0].f.Properties.TargetVersion", "Hooks"]);
    expect(e.message).toContain("(line 5)");
    expect(e.issues).toHaveLength(2);
  });

  it("names the document itself 'appspec' in problems", () => {
    expect(() => loadAppSpec("")).toThrow(/^appspec: the file is empty/);
  });
});
