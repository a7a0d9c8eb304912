// Trunk post-build hook: pin a Content-Security-Policy into the built index.html.
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
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace(/<meta charset="utf-8" \/>/, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
if (!html.includes('Content-Security-Policy')) { console.error('csp.mjs: no <meta charset="utf-8" /> in index.html'); process.exit(1); }
fs.writeFileSync(file, html);
console.log(`csp.mjs: policy pinned (${hashes.length} inline script hash${hashes.length === 1 ? '' : 'es'})`);
