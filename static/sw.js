// herdsim's service worker: after the first visit the page reloads and works offline
// (a classroom without network). Registered by the page (src/ui/offline.rs) from beside
// index.html, so its scope is the page's folder wherever it is served from.
//
// - install: fetch the page and keep it with every file it names (the content-hashed
//   .js and .wasm, the CSS): the first visit's own loads happened before this worker ran;
// - fetch: the page itself network first (a new build is seen when there is a network),
//   falling back to the kept copy; every other same-origin GET cache first (their names
//   change with their content), kept as it is fetched;
// - activate: drop the caches of other builds, and take over open pages.
//
// VERSION is stamped with a hash of the built index.html by .ci/csp.mjs, so every build
// installs afresh and cleans up after the one before.
const VERSION = 'dev';
const CACHE = `herdsim-${VERSION}`;

/** Same-origin files the page names in src/href attributes and in its loader script. */
function named(html, base) {
  // the web worker's script is started by the page, not named in it
  const urls = new Set([new URL('./', base).href, new URL('worker.js', base).href]);
  for (const m of html.matchAll(/(?:href|src)="([^"]+)"|['"]([^'"\s]+\.(?:js|wasm|css))['"]/g)) {
    const ref = m[1] ?? m[2];
    if (ref.startsWith('data:')) continue;
    const url = new URL(ref, base);
    if (url.origin === self.location.origin) urls.add(url.href);
  }
  return [...urls];
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const page = new URL('./', self.registration.scope).href;
    const html = await (await fetch(page, { cache: 'no-cache' })).text();
    const cache = await caches.open(CACHE);
    await cache.addAll(named(html, page));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('herdsim-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const kept = (await cache.match(request, { ignoreSearch: true }))
      ?? (await cache.match(new URL('./', self.registration.scope).href));
    if (kept) return kept;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(request.mode === 'navigate' ? networkFirst(request) : cacheFirst(request));
});
