//! herdsim's integration tests: one binary, one module per concern.

/// Queueing and retry formulas the model must reproduce (M/M/1, retry arithmetic, exact
/// timelines of backoff, timeouts, deadlines, capacity and slow faults, the OCC protocol).
#[cfg(not(target_arch = "wasm32"))]
mod analytic;
/// Every chart of every preset reads right: no overlapping or clipped text, no legend
/// over data (text boxes computed from the SVG export).
#[cfg(not(target_arch = "wasm32"))]
mod charts;
/// The `herdsim` command: presets, show, run, formats, `--set`, `--runs`, bad input.
#[cfg(not(target_arch = "wasm32"))]
mod cli;
/// The per-client view: states at a time, and the herd's synchrony with and without jitter.
#[cfg(not(target_arch = "wasm32"))]
mod clients;
/// Native half of the native-vs-wasm check: writes the summaries the browser test compares.
#[cfg(not(target_arch = "wasm32"))]
mod cross_platform;
/// Exports to real libraries: golden snippets, each library's defaults, round trips
/// through each library's formula.
#[cfg(not(target_arch = "wasm32"))]
mod export;
/// Replicated services: lost writes, RPO, RTO, stale reads, restores, random crashes.
#[cfg(not(target_arch = "wasm32"))]
mod failover;
/// Every preset's summary at its own seed against the committed `tests/golden/`.
#[cfg(not(target_arch = "wasm32"))]
mod golden;
/// Downtime, uptime, success latency, the herd after a fault, capacity, hangs, per-service
/// availability: the summary's health figures against what is known of the run.
#[cfg(not(target_arch = "wasm32"))]
mod health;
/// Input gets a clear answer: strict parsing, plain messages, one table of bounds, bounded cost.
#[cfg(not(target_arch = "wasm32"))]
mod input;
/// A presenter's intervention is its fault written in the scenario, and forks the run at
/// its time.
#[cfg(not(target_arch = "wasm32"))]
mod interventions;
/// The real-library presets: delay bounds per attempt, limits, breakers and budgets
/// against each library's formula.
#[cfg(not(target_arch = "wasm32"))]
mod libraries;
/// Memory and event budgets: runaways stop cleanly with partial results.
#[cfg(not(target_arch = "wasm32"))]
mod limits;
/// Notable moments (retry waves, breakers, budgets, recovery, collapse) found where the
/// model puts them.
#[cfg(not(target_arch = "wasm32"))]
mod moments;
/// The lecture presets do what their descriptions say.
#[cfg(not(target_arch = "wasm32"))]
mod presets;
/// Invariants over random valid scenarios (proptest).
#[cfg(not(target_arch = "wasm32"))]
mod properties;
/// Breakers and budgets against their libraries' documented semantics, table by table.
#[cfg(not(target_arch = "wasm32"))]
mod resilience;
/// Share links: any one changed, added or removed character, or a cut-off end, is refused
/// rather than opened as another scenario; links made before the checksum still open.
#[cfg(not(target_arch = "wasm32"))]
mod share;
/// The fault suite and its scorecard: each scenario's fault, the policy carried into its
/// world, what jitter, budgets and retries do across the faults, aggregation over seeds,
/// A/B, the libraries view, `herdsim scorecard`.
#[cfg(not(target_arch = "wasm32"))]
mod suite;
/// Parameter sweeps: points are `--set` edits of the scenario, metrics every number of the
/// summary, known effects at every step for every seed, the same table on any threads.
#[cfg(not(target_arch = "wasm32"))]
mod sweep;
/// Tour files: the shipped tour reads, runs and says what its runs show; bad tours are
/// refused naming the step and field; step links read back.
#[cfg(not(target_arch = "wasm32"))]
mod tours;
/// Recommendations: the analytic panel against the engine's runs, `herdsim tune` (its
/// report is the library's, its best meets every constraint) and `herdsim advise`.
#[cfg(not(target_arch = "wasm32"))]
mod tune;

/// The page's web-worker jobs: the same tables and scorecards as the CLI's, messages
/// that read back exactly, bad messages answered, not panicked on.
#[cfg(not(target_arch = "wasm32"))]
mod work;

/// In headless Chromium: same summaries as native, charts on a real canvas, the page.
#[cfg(target_arch = "wasm32")]
mod browser;

/// Helpers shared by the modules.
mod common;
