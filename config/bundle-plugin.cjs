// Bundles every function's handler with esbuild in ONE build and zips each bundle alone
// (docs/deploy.md#bundling). It replaces serverless-esbuild, which ran one esbuild build per
// function: 42 builds that each parsed the whole AWS SDK again cost about 72 CPU seconds of
// `osls package`; one build with every handler as an entry point parses each file once (about
// 20 CPU seconds) and still writes one self-contained ESM file per handler (no shared chunks, so
// each zip holds only `functions/handlers/<name>.mjs`). Options come from `custom.esbuild`.
const fs = require("node:fs");
const path = require("node:path");
const yazl = require("yazl");

/** The `custom.esbuild` keys that are this plugin's, not esbuild's. */
const OWN_OPTIONS = ["outputFileExtension", "exclude"];

class StepDeployBundles {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { "before:package:createDeploymentArtifacts": () => this.bundle() };
  }

  async bundle() {
    const service = this.serverless.service;
    const root = this.serverless.serviceDir;
    const custom = { ...(service.custom?.esbuild ?? {}) };
    const extension = custom.outputFileExtension ?? ".js";
    const external = [...(custom.external ?? []), ...(custom.exclude ?? [])];
    for (const key of OWN_OPTIONS) delete custom[key];

    // handler "functions/handlers/start.handler" -> entry functions/handlers/start.ts
    const functions = Object.entries(service.functions ?? {}).map(([name, fn]) => {
      const base = fn.handler.slice(0, fn.handler.lastIndexOf("."));
      const source = [".ts", ".mts", ".js", ".mjs"].map((ext) => base + ext).find((f) => fs.existsSync(path.join(root, f)));
      if (!source) throw new Error(`${name}: no source file for handler ${fn.handler}`);
      return { name, fn, base, source };
    });
    const outdir = path.join(root, ".serverless", "build");
    fs.rmSync(outdir, { recursive: true, force: true });
    const esbuild = require("esbuild");
    await esbuild.build({
      ...custom,
      external,
      absWorkingDir: root,
      entryPoints: [...new Set(functions.map((f) => f.source))],
      outbase: root,
      outdir,
      outExtension: { ".js": extension },
      logLevel: "warning",
    });
    await Promise.all(
      functions.map(async ({ name, fn, base }) => {
        const artifact = path.join(root, ".serverless", `${name}.zip`);
        await zipOne(path.join(outdir, base + extension), base + extension, artifact);
        fn.package = { ...(fn.package ?? {}), artifact };
      }),
    );
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A zip of one file at `name`, dated 1980 so the same bundle gives the same zip (deploys compare hashes). */
function zipOne(file, name, artifact) {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    zip.addFile(file, name, { mtime: new Date(1980, 0, 1), mode: 0o100644 });
    zip.end();
    zip.outputStream.pipe(fs.createWriteStream(artifact)).on("close", resolve).on("error", reject);
  });
}

module.exports = StepDeployBundles;
