//! Golden summaries: the JSON summary of every preset at its own seed, committed under
//! `tests/golden/`, so that any change of results shows up in review as a diff.
//!
//! After a change that alters results on purpose, regenerate them with `make golden`
//! (`HERDSIM_BLESS=1 cargo test --test integration golden`) and commit the diff.

use std::path::PathBuf;

use herdsim::sim::{scenario::presets, Sim};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn summary_json(name: &str) -> String {
    let cfg = presets::config(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let scenario = cfg.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
    let summary = Sim::new(&scenario, cfg.seed).run_to_summary();
    serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n"
}

#[test]
fn every_preset_matches_its_golden_summary() {
    let bless = std::env::var_os("HERDSIM_BLESS").is_some();
    let dir = golden_dir();
    let mut changed = Vec::new();
    for name in presets::names() {
        let path = dir.join(format!("{name}.json"));
        let now = summary_json(name);
        if bless {
            std::fs::create_dir_all(&dir).expect("create tests/golden");
            std::fs::write(&path, &now).expect("write a golden summary");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(then) if then == now => {}
            Ok(then) => {
                let line = then
                    .lines()
                    .zip(now.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("first difference: was `{a}`, now `{b}`"))
                    .unwrap_or_else(|| "lines added or removed".into());
                changed.push(format!("{name}: {line}"));
            }
            Err(_) => changed.push(format!("{name}: no golden file {}", path.display())),
        }
    }
    // a golden file for every preset and no stale ones
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
                .filter(|n| presets::json(n).is_none())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() || bless,
        "golden files without a preset: {stale:?}"
    );
    assert!(
        changed.is_empty(),
        "results changed; if on purpose, run `make golden` and commit the diff:\n  {}",
        changed.join("\n  ")
    );
}
