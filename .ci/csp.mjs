// Trunk post-build hook: pin a Content-Security-Policy into the built index.html, and name
// the service worker's cache after this build.
// Trunk writes an inline module script (its loader) whose text changes with every build's
// file hashes, so the policy allows exactly that script by its SHA-256 and nothing else:
// no network beyond the page's own files, no other inline script, wasm allowed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run as a Trunk hook)'); process.exit(1); }
const file = path.join(dir, 'index.html');
let html = fs.readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .filter((m) => !/\bsrc=/.test(m[0].slice(0, m[0].indexOf('>'))))
  .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
  // Yew sets a few style attributes (the fault timeline)
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  // the service worker (sw.js, offline after the first visit) is a same-origin script
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace(/<meta charset="utf-8" \/>/, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
if (!html.includes('Content-Security-Policy')) { console.error('csp.mjs: no <meta charset="utf-8" /> in index.html'); process.exit(1); }
fs.writeFileSync(file, html);
console.log(`csp.mjs: policy pinned (${hashes.length} inline script hash${hashes.length === 1 ? '' : 'es'})`);

// The service worker's cache is named after this build (a hash of the page, which names
// every content-hashed file), so a new build installs afresh and drops the old cache.
const sw = path.join(dir, 'sw.js');
if (fs.existsSync(sw)) {
  const version = crypto.createHash('sha256').update(html, 'utf8').digest('hex').slice(0, 16);
  const text = fs.readFileSync(sw, 'utf8');
  if (!/const VERSION = '[^']*';/.test(text)) { console.error('csp.mjs: no VERSION line in sw.js'); process.exit(1); }
  fs.writeFileSync(sw, text.replace(/const VERSION = '[^']*';/, `const VERSION = '${version}';`));
  console.log(`csp.mjs: sw.js stamped ${version}`);
}
