// Builds the explorer into ../dist (committed, embedded by web.go): index.html, and
// assets/app.js (src/main.js with cytoscape, bundled and minified) and assets/app.css.
// Run with `npm ci && npm run build`; the names are fixed so that a rebuild of the
// same sources gives the same files.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const out = new URL("../dist/", import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(out + "assets", { recursive: true });

await build({
  entryPoints: { app: "src/main.js" },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  legalComments: "eof",
  outdir: out + "assets",
  logLevel: "info",
});
await build({
  entryPoints: { app: "src/style.css" },
  bundle: true,
  minify: true,
  outdir: out + "assets",
  logLevel: "info",
});
copyFileSync("src/index.html", out + "index.html");
