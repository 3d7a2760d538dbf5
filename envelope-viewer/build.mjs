// Bundles the viewer with esbuild (pinned in package-lock.json) into content-hashed files and writes
// index.html referencing them by absolute path (/v/assets/...) with SRI integrity attributes; the same
// for the auditor console (audit.html, js/audit-main.js, audit.css) into /audit/.
//   node build.mjs --out=<dir that becomes /v/> [--console-out=<dir that becomes /audit/>]
//                  [--test-out=<dir for the browser test harness>]
// Run by Maven (exec-maven-plugin, generate-resources) after `npm ci`.

import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const out = resolve(arg('out', join(here, 'target/classes/META-INF/resources/v')));
const consoleOut = resolve(arg('console-out', join(dirname(out), 'audit')));
const testOut = arg('test-out', null);
const assets = join(out, 'assets');

const TARGETS = ['es2020', 'chrome92', 'edge92', 'firefox90', 'safari15'];

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const shortHash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

async function bundle(entry, name, dir, extra = {}) {
  const result = await esbuild.build({
    entryPoints: { [name]: join(here, entry) },
    bundle: true,
    minify: true,
    outdir: dir,
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'eof',
    logLevel: 'warning',
    ...extra,
  });
  const file = Object.keys(result.metafile.outputs).find((f) => !f.endsWith('.map'));
  return resolve(file);
}

// The rules of STYLE.md (PrivateBin/Send) that a grep can keep: only js/crypto.js touches WebCrypto or
// the JOSE library (js/audit-crypto.js for the console); no module writes markup; no inline style or
// script in index.html or audit.html.
const CRYPTO_MODULES = ['crypto.js', 'audit-crypto.js'];
for (const file of readdirSync(join(here, 'js'))) {
  const code = readFileSync(join(here, 'js', file), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  if (!CRYPTO_MODULES.includes(file) && /\.subtle\b|from 'jose'|@noble\/hashes/.test(code)) {
    throw new Error(`js/${file} touches WebCrypto, jose or hashing`);
  }
  if (/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/.test(code)) {
    throw new Error(`js/${file} writes markup or evaluates code`);
  }
}
for (const name of ['index.html', 'audit.html']) {
  const page = readFileSync(join(here, name), 'utf8');
  if (/\sstyle=|<style|<script(?![^>]*\ssrc=)/i.test(page)) throw new Error(`${name} has inline style or script`);
}

// Every text must exist in every language, with the same placeholders (viewer and console).
const placeholders = (m) => JSON.stringify(typeof m === 'string' ? m : m.other).match(/\{\w+\}/g)?.sort().join() ?? '';
for (const module of ['./js/i18n.js', './js/audit-i18n.js']) {
  const { MESSAGES } = await import(module);
  for (const [lang, texts] of Object.entries(MESSAGES)) {
    for (const key of Object.keys(MESSAGES.en)) {
      if (!(key in texts)) throw new Error(`i18n ${module}: ${lang} lacks ${key}`);
      if (placeholders(texts[key]) !== placeholders(MESSAGES.en[key])) throw new Error(`i18n ${module}: ${lang} ${key} placeholders differ`);
    }
    for (const key of Object.keys(texts)) if (!(key in MESSAGES.en)) throw new Error(`i18n ${module}: ${lang} has unknown ${key}`);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const script = await bundle('js/main.js', 'viewer', assets, { format: 'esm', target: TARGETS, platform: 'browser' });
// The service worker keeps a fixed name (/v/sw.js): a registration is tied to its script URL, and the
// browser compares its bytes on update. It imports nothing.
await esbuild.build({
  entryPoints: [join(here, 'js/sw.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: TARGETS,
  outfile: join(out, 'sw.js'),
  legalComments: 'eof',
  logLevel: 'warning',
});
const style = await bundle('viewer.css', 'viewer', assets, { target: TARGETS });
const iconBytes = readFileSync(join(here, 'icon.svg'));
const icon = `icon-${shortHash(iconBytes)}.svg`;
writeFileSync(join(assets, icon), iconBytes);

const html = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('@SCRIPT@', basename(script))
  .replace('@SCRIPT_SRI@', sri(readFileSync(script)))
  .replace('@STYLE@', basename(style))
  .replace('@STYLE_SRI@', sri(readFileSync(style)))
  .replace('@ICON@', icon);
if (html.includes('@')) {
  const left = html.match(/@[A-Z_]+@/);
  if (left) throw new Error(`unreplaced placeholder ${left[0]}`);
}
writeFileSync(join(out, 'index.html'), html);
console.log(`viewer: ${basename(script)}, ${basename(style)}, ${icon}, sw.js -> ${out}`);

// The auditor console: its own page, script and style under /audit/ (same rules, same CSP).
{
  const consoleAssets = join(consoleOut, 'assets');
  rmSync(consoleOut, { recursive: true, force: true });
  mkdirSync(consoleAssets, { recursive: true });
  const cScript = await bundle('js/audit-main.js', 'audit', consoleAssets, { format: 'esm', target: TARGETS, platform: 'browser' });
  const cStyle = await bundle('audit.css', 'audit', consoleAssets, { target: TARGETS });
  writeFileSync(join(consoleAssets, icon), iconBytes);
  const page = readFileSync(join(here, 'audit.html'), 'utf8')
    .replace('@SCRIPT@', basename(cScript))
    .replace('@SCRIPT_SRI@', sri(readFileSync(cScript)))
    .replace('@STYLE@', basename(cStyle))
    .replace('@STYLE_SRI@', sri(readFileSync(cStyle)))
    .replace('@ICON@', icon);
  const left = page.match(/@[A-Z_]+@/);
  if (left) throw new Error(`audit.html: unreplaced placeholder ${left[0]}`);
  writeFileSync(join(consoleOut, 'index.html'), page);
  console.log(`console: ${basename(cScript)}, ${basename(cStyle)} -> ${consoleOut}`);
}

if (testOut) {
  // The browser tests load js/crypto.js and friends through this harness (never shipped in the jar).
  const dir = resolve(testOut);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, 'test/harness.js')],
    bundle: true,
    format: 'esm',
    target: TARGETS,
    outfile: join(dir, 'harness.js'),
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'harness.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>harness</title>' +
      '<script type="module" src="/test/harness.js"></script></head><body><p>harness</p></body></html>\n',
  );
  copyFileSync(join(here, 'node_modules/axe-core/axe.min.js'), join(dir, 'axe.min.js'));
  // The console's verifier, exposed to AuditConsoleIT (compared with sdk-java's AuditEvidence).
  await esbuild.build({
    entryPoints: [join(here, 'test/audit-harness.js')],
    bundle: true,
    format: 'esm',
    target: TARGETS,
    outfile: join(dir, 'audit-harness.js'),
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'audit-harness.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>audit harness</title>' +
      '<script type="module" src="/test/audit-harness.js"></script></head><body><p>audit harness</p></body></html>\n',
  );
}
