// Converts every *.tf file of one directory to JSON with @cdktf/hcl2json (HashiCorp's HCL parser
// compiled to WebAssembly), so the build can check the Terraform configuration without Terraform.
// Usage: node tf2json.mjs DIR  ->  stdout: {"main.tf": {...}, "variables.tf": {...}, ...}
// Any parse error names the file and exits 1: a configuration that does not parse fails the build.
import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node tf2json.mjs DIR");
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
if (files.length === 0) {
  console.error(`tf2json: no .tf files in ${dir}`);
  process.exit(1);
}
const out = {};
let failed = false;
for (const file of files) {
  try {
    out[file] = await parse(file, readFileSync(join(dir, file), "utf8"));
  } catch (e) {
    console.error(`tf2json: ${file}: ${e.message}`);
    failed = true;
  }
}
if (failed) process.exit(1);
process.stdout.write(JSON.stringify(out));
