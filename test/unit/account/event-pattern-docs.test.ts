import { describe, expect, it } from "vitest";
import { type EventPattern, matchesPattern, patternProblem } from "../../../local/account/eventbridge/pattern.js";
import { RULER_SAMPLE_EVENT } from "./helpers.js";

/**
 * The simulated account's EventBridge matcher against the documented examples of EventBridge
 * content filtering, each with events it must match and events it must not:
 *  - the comparison operators table of the EventBridge User Guide ("Comparison operators for use in
 *    event patterns in Amazon EventBridge", eb-create-pattern-operators), one row each, with an event
 *    in the words of its "Example" column;
 *  - "Matching null values and empty strings" (eb-event-patterns-null-values) and "Arrays in event
 *    patterns" (eb-event-patterns-arrays), with their own example events;
 *  - the README of aws/event-ruler, the library EventBridge matches with: its sample EC2 event and
 *    the rules it says match it, the exists-on-an-intermediate-node note and the $or examples.
 */
type Case = { pattern: EventPattern; matches: object[]; misses: object[] };

const OPERATORS_TABLE: Record<string, Case> = {
  "And: Location is New York and Day is Monday": {
    pattern: { Location: ["New York"], Day: ["Monday"] },
    matches: [{ Location: "New York", Day: "Monday" }],
    misses: [{ Location: "New York", Day: "Tuesday" }, { Location: "New York" }],
  },
  "Anything-but: state is any value besides initializing": {
    pattern: { state: [{ "anything-but": "initializing" }] },
    matches: [{ state: "running" }, { state: "INITIALIZING" }],
    misses: [{ state: "initializing" }, {}],
  },
  "Anything-but (begins with): Region is not in the US": {
    pattern: { Region: [{ "anything-but": { prefix: "us-" } }] },
    matches: [{ Region: "eu-west-1" }],
    misses: [{ Region: "us-east-1" }],
  },
  "Anything-but (ends with): FileName does not end with .png": {
    pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] },
    matches: [{ FileName: "logo.jpg" }],
    misses: [{ FileName: "logo.png" }],
  },
  "Anything-but (ignore case): state is any value besides initializing in any casing": {
    pattern: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] },
    matches: [{ state: "running" }],
    misses: [{ state: "initializing" }, { state: "INITIALIZING" }],
  },
  "Anything-but using a wildcard: FilePath does not include /lib/": {
    pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
    matches: [{ FilePath: "/usr/bin/node" }],
    misses: [{ FilePath: "/usr/lib/node" }],
  },
  "Begins with: Region is in the US": {
    pattern: { Region: [{ prefix: "us-" }] },
    matches: [{ Region: "us-west-2" }],
    misses: [{ Region: "eu-west-1" }, { Region: "US-west-2" }],
  },
  "Begins with (ignore case): service starts with eventb, regardless of case": {
    pattern: { service: [{ prefix: { "equals-ignore-case": "eventb" } }] },
    matches: [{ service: "EventBridge" }, { service: "eventbus" }],
    misses: [{ service: "Lambda" }],
  },
  "Empty: LastName is empty": {
    pattern: { LastName: [""] },
    matches: [{ LastName: "" }],
    misses: [{ LastName: "Smith" }, { LastName: null }, {}],
  },
  "Equals: Name is Alice": {
    pattern: { Name: ["Alice"] },
    matches: [{ Name: "Alice" }],
    misses: [{ Name: "alice" }, { Name: "Alice " }],
  },
  "Equals (ignore case): Name is Alice": {
    pattern: { Name: [{ "equals-ignore-case": "alice" }] },
    matches: [{ Name: "Alice" }, { Name: "ALICE" }],
    misses: [{ Name: "Alicia" }],
  },
  "Ends with: FileName ends with .png": {
    pattern: { FileName: [{ suffix: ".png" }] },
    matches: [{ FileName: "image.png" }],
    misses: [{ FileName: "image.PNG" }, { FileName: "image.png.txt" }],
  },
  "Ends with (ignore case): service ends with tbridge in any casing": {
    pattern: { service: [{ suffix: { "equals-ignore-case": "tBridge" } }] },
    matches: [{ service: "EventBridge" }, { service: "EVENTBRIDGE" }],
    misses: [{ service: "EventBus" }],
  },
  "Exists: ProductName exists": {
    pattern: { ProductName: [{ exists: true }] },
    matches: [{ ProductName: "Widget" }],
    misses: [{ Price: 5 }],
  },
  "Not exists: ProductName does not exist": {
    pattern: { ProductName: [{ exists: false }] },
    matches: [{ Price: 5 }],
    misses: [{ ProductName: "Widget" }],
  },
  "Not: Weather is anything but Raining": {
    pattern: { Weather: [{ "anything-but": ["Raining"] }] },
    matches: [{ Weather: "Sunny" }],
    misses: [{ Weather: "Raining" }],
  },
  "Null: UserID is null": {
    pattern: { UserID: [null] },
    matches: [{ UserID: null }],
    misses: [{ UserID: "" }, { UserID: "u-1" }, {}],
  },
  "Numeric (equals): Price is 100": {
    pattern: { Price: [{ numeric: ["=", 100] }] },
    matches: [{ Price: 100 }, { Price: 100.0 }],
    misses: [{ Price: 101 }, { Price: "100" }],
  },
  "Numeric (range): Price is more than 10, and less than or equal to 20": {
    pattern: { Price: [{ numeric: [">", 10, "<=", 20] }] },
    matches: [{ Price: 20 }, { Price: 10.5 }],
    misses: [{ Price: 10 }, { Price: 20.01 }],
  },
  "Or: PaymentType is Credit or Debit": {
    pattern: { PaymentType: ["Credit", "Debit"] },
    matches: [{ PaymentType: "Credit" }, { PaymentType: "Debit" }],
    misses: [{ PaymentType: "Cash" }],
  },
  "Or (multiple fields): Location is New York, or Day is Monday": {
    pattern: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] },
    matches: [{ Location: "New York", Day: "Sunday" }, { Location: "Boston", Day: "Monday" }],
    misses: [{ Location: "Boston", Day: "Sunday" }],
  },
  "Wildcard: any file with a .png extension, located within the folder dir": {
    pattern: { FileName: [{ wildcard: "dir/*.png" }] },
    matches: [{ FileName: "dir/logo.png" }, { FileName: "dir/sub/logo.png" }],
    misses: [{ FileName: "other/logo.png" }, { FileName: "dir/logo.jpg" }],
  },
};

const NULLS_AND_ARRAYS: Record<string, Case> = {
  // eb-event-patterns-null-values: its example event matches both patterns; null and "" are not interchangeable.
  "an empty string matches an empty string, not null": {
    pattern: { detail: { eventVersion: [""] } },
    matches: [{ "detail-type": "EC2 Instance Launch Successful", source: "aws.autoscaling", resources: [], detail: { eventVersion: "", responseElements: null } }],
    misses: [{ detail: { eventVersion: null } }],
  },
  "null matches null, not an empty string": {
    pattern: { detail: { responseElements: [null] } },
    matches: [{ "detail-type": "EC2 Instance Launch Successful", source: "aws.autoscaling", resources: [], detail: { eventVersion: "", responseElements: null } }],
    misses: [{ detail: { responseElements: "" } }],
  },
  // eb-event-patterns-arrays: "the first item in the event pattern array matches the second item in the event array".
  "an event array matches when it intersects the pattern array": {
    pattern: {
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f", "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"],
    },
    matches: [
      {
        resources: [
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        ],
      },
    ],
    misses: [{ resources: ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate"] }],
  },
};

const SAMPLE = RULER_SAMPLE_EVENT;

const RULES_MATCHING_THE_SAMPLE: Record<string, EventPattern> = {
  "simple matching": { "detail-type": ["EC2 Instance State-change Notification"], resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"], detail: { state: ["initializing", "running"] } },
  prefix: { time: [{ prefix: "2017-10-02" }] },
  suffix: { source: [{ suffix: "ec2" }] },
  "anything-but a string": { detail: { state: [{ "anything-but": "initializing" }] } },
  "anything-but a number": { detail: { "x-limit": [{ "anything-but": 123 }] } },
  "anything-but a list of strings": { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
  "anything-but a list of numbers": { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
  "anything-but a prefix": { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
  numeric: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } },
  "IP address": { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } },
  exists: { detail: { "c-count": [{ exists: true }] } },
  "complex example": {
    time: [{ prefix: "2017-10-02" }],
    detail: {
      state: [{ "anything-but": "initializing" }],
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ "anything-but": [100, 200, 300] }],
      "source-ip": [{ cidr: "10.0.0.0/8" }],
    },
  },
};

/** The README's $or examples, with events that satisfy and break each stated effect. */
const OR_EXAMPLES: Record<string, Case> = {
  'normal "or": source && (metricName || namespace)': {
    pattern: { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }] },
    matches: [
      { source: "aws.cloudwatch", metricName: "ReadLatency" },
      { source: "aws.cloudwatch", namespace: "AWS/ES" },
    ],
    misses: [{ source: "aws.cloudwatch", metricName: "Other", namespace: "AWS/S3" }, { source: "aws.ec2", metricName: "CPUUtilization" }],
  },
  'parallel "or": (metricName || namespace) && (detail.source || detail.detail-type)': {
    pattern: {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: { $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
    },
    matches: [{ namespace: "AWS/EC2", detail: { "detail-type": "CloudWatch Alarm State Change" } }],
    misses: [{ namespace: "AWS/EC2", detail: { source: "aws.ec2" } }],
  },
  'nested "or" and "and": source && (metricName || (metricType && namespace && (metricId || spaceId)) || scope)': {
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { metricType: ["MetricType"], namespace: ["AWS/EC2", "AWS/ES"], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }, { scope: ["Service"] }],
    },
    matches: [
      { source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/EC2", spaceId: 1000 },
      { source: "aws.cloudwatch", scope: "Service" },
    ],
    misses: [{ source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/EC2", spaceId: 1001 }],
  },
  '"$or" with operator keywords inside is an ordinary field name': {
    pattern: { source: ["aws.cloudwatch"], $or: { metricType: ["MetricType"], namespace: ["AWS/EC2", "AWS/ES"] } },
    matches: [{ source: "aws.cloudwatch", $or: { metricType: "MetricType", namespace: "AWS/ES" } }],
    misses: [{ source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/ES" }],
  },
};

function checkCases(cases: Record<string, Case>) {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    expect(patternProblem(c.pattern)).toBeUndefined();
    for (const e of c.matches) expect(matchesPattern(c.pattern, e), `should match ${JSON.stringify(e)}`).toBe(true);
    for (const e of c.misses) expect(matchesPattern(c.pattern, e), `should not match ${JSON.stringify(e)}`).toBe(false);
  });
}

describe("the EventBridge User Guide's comparison operators table", () => checkCases(OPERATORS_TABLE));

describe("the EventBridge User Guide on null, empty strings and arrays", () => checkCases(NULLS_AND_ARRAYS));

describe("the event-ruler README's rules for its sample event", () => {
  it.each(Object.entries(RULES_MATCHING_THE_SAMPLE))("%s matches", (_name, pattern) => {
    expect(patternProblem(pattern)).toBeUndefined();
    expect(matchesPattern(pattern, SAMPLE)).toBe(true);
  });

  it("exists false matches when the field is absent, and when it is an intermediate node", () => {
    const pattern = { detail: { "c-count": [{ exists: false }] } };
    const { "c-count": _absent, ...withoutCount } = SAMPLE.detail;
    expect(matchesPattern(pattern, { ...SAMPLE, detail: withoutCount })).toBe(true);
    expect(matchesPattern(pattern, { ...SAMPLE, detail: { ...SAMPLE.detail, "c-count": { c1: 100 } } })).toBe(true);
    expect(matchesPattern(pattern, SAMPLE)).toBe(false);
  });
});

describe("the event-ruler README's $or examples", () => checkCases(OR_EXAMPLES));
