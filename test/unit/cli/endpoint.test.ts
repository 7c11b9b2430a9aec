import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseEndpoint, endpointProblem } from "../../../cli/endpoint.js";

describe("endpointProblem", () => {
  it.each([
    ["", /--endpoint is empty/],
    ["   ", /--endpoint is empty/],
    ["file:///etc/passwd", /must start with http:\/\/ or https:\/\//],
    ["ftp://127.0.0.1:4566", /must start with http:\/\/ or https:\/\//],
    ["localhost:4566", /must start with http:\/\/ or https:\/\//],
    ["127.0.0.1:4566", /is not a URL/],
    ["http://", /is not a URL/],
    ["not a url", /is not a URL/],
  ])("refuses %j", (value, reason) => {
    expect(endpointProblem(value, "--endpoint")).toMatch(reason);
  });

  it.each(["http://127.0.0.1:4566", "https://lambda.eu-west-1.amazonaws.com", "http://localstack:4566/", "HTTP://LOCALHOST:4566"])("accepts %s", (value) => {
    expect(endpointProblem(value, "--endpoint")).toBeUndefined();
  });

  it("accepts every http(s) URL with a host, refuses every other scheme", () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ["http", "https"] }), (url) => endpointProblem(url, "--endpoint") === undefined),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ["ftp", "file", "ws", "s3"] }), (url) => /must start with http/.test(endpointProblem(url, "--endpoint") ?? "")),
      { numRuns: 50 },
    );
  });
});

describe("chooseEndpoint", () => {
  it("the flag wins over AWS_ENDPOINT_URL, and a problem names where the value came from", () => {
    expect(chooseEndpoint("http://a:1", { AWS_ENDPOINT_URL: "http://b:2" })).toEqual({ endpoint: "http://a:1" });
    expect(chooseEndpoint(undefined, { AWS_ENDPOINT_URL: "http://b:2" })).toEqual({ endpoint: "http://b:2" });
    expect(chooseEndpoint(undefined, {})).toEqual({});
    expect(chooseEndpoint("", { AWS_ENDPOINT_URL: "http://b:2" }).problem).toMatch(/^--endpoint is empty/);
    expect(chooseEndpoint(undefined, { AWS_ENDPOINT_URL: "file:///x" }).problem).toMatch(/^AWS_ENDPOINT_URL 'file:\/\/\/x'/);
  });
});
