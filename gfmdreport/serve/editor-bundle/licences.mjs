// Writes LICENSES.txt beside the bundle: the licence of every package esbuild put in it
// (read from its metafile), with the package's name and version.
import {readFileSync, readdirSync, writeFileSync} from "node:fs";

const [metafile, output] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(metafile, "utf8"));
const names = new Set();
for (const input of Object.keys(meta.inputs)) {
  const match = input.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (match) names.add(match[1]);
}
const parts = [
  "codemirror.js bundles these packages, each under the licence that follows its name.\n" +
  "Built with esbuild from gfmdreport/serve/editor-bundle/ (see its README.md).\n",
];
for (const name of [...names].sort()) {
  const folder = `node_modules/${name}`;
  const pkg = JSON.parse(readFileSync(`${folder}/package.json`, "utf8"));
  const file = readdirSync(folder).find((f) => /^licen[cs]e/i.test(f));
  if (!file) throw new Error(`${name} has no licence file`);
  parts.push(`${"=".repeat(78)}\n${name} ${pkg.version} (${pkg.license})\n${"=".repeat(78)}\n\n` +
             readFileSync(`${folder}/${file}`, "utf8").trim() + "\n");
}
writeFileSync(output, parts.join("\n"));
