// herdsim's web worker: runs the page's own build (the same .wasm, so the same results) on
// the jobs of a sweep or a scorecard (src/ui/pool.rs sends them, src/ui/worker.rs answers).
// Trunk names the .js and .wasm after their content, so the page's first message says
// where they are; the wasm's start sees no window, answers jobs from then on and says
// "ready". A worker that cannot load says why, in the same words the page shows.
self.onmessage = async (event) => {
  self.onmessage = null;
  try {
    const bindings = await import(event.data.js);
    await bindings.default({ module_or_path: event.data.wasm });
  } catch (e) {
    self.postMessage(JSON.stringify({ fatal: `the worker did not load: ${e}` }));
  }
};
