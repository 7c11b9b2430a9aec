/** Measuring code in a fresh Node process, built the way a Lambda runs it (bench/bundle.ts, bench/hostile.ts). */

/**
 * `entry` as one esbuild bundle (dependencies included, ESM with a `require` for CommonJS ones) at `outfile`,
 * for plain `node` to run.
 */
export async function bundleForNode(entry: string, outfile: string, external: string[] = []): Promise<void> {
  const { build } = await import("esbuild");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "silent",
    external: ["esbuild", ...external],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

/**
 * The highest RSS seen from now until `stop()`: sampled every 5 ms while the process waits on I/O, and once more
 * at the end (a synchronous computation cannot be sampled, but what it allocated is still resident right after).
 */
export function watchPeakRss(): { baseline: number; stop(): number } {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return {
    baseline,
    stop() {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak;
    },
  };
}
