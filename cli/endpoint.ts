/**
 * `--endpoint` (run and the operator commands) and AWS_ENDPOINT_URL: the URL every SDK client of the
 * command talks to. An empty value would silently mean "the real AWS endpoints" and anything but
 * http(s) cannot serve the AWS APIs (a `file://` URL ends up at 127.0.0.1:80), so both are refused
 * before anything is called, naming where the value came from.
 */
export function endpointProblem(value: string, source: string): string | undefined {
  const example = "e.g. http://127.0.0.1:4566";
  if (value.trim() === "") return `${source} is empty: give an http(s) URL (${example}), or leave it out to use the AWS endpoints of the region`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${source} '${value}' is not a URL: give an http(s) URL (${example})`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${source} '${value}' must start with http:// or https:// (${example})`;
  return undefined;
}

/**
 * The endpoint a command uses: the flag, else AWS_ENDPOINT_URL, else none (the AWS endpoints).
 * Returns the problem instead when the chosen value is unusable.
 */
export function chooseEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv): { endpoint?: string; problem?: string } {
  const [value, source] = flag !== undefined ? [flag, "--endpoint"] : [env.AWS_ENDPOINT_URL, "AWS_ENDPOINT_URL"];
  if (value === undefined) return {};
  const problem = endpointProblem(value, source);
  return problem ? { problem } : { endpoint: value };
}
