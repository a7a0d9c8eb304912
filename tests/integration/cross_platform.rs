//! Native half of the cross-platform check: the summaries of fixed (preset, seed, clients)
//! cases, written to `target/cross-platform/native.json`. The browser module compiles that
//! file in and requires wasm to produce exactly the same JSON (`make test` runs this first).

use crate::common::{preset_summary_json, CROSS_PLATFORM};

#[test]
fn write_native_summaries_for_the_browser_test() {
    let mut out = serde_json::Map::new();
    for &(name, seed, clients) in CROSS_PLATFORM {
        let s = preset_summary_json(name, seed, clients);
        assert_eq!(
            s,
            preset_summary_json(name, seed, clients),
            "{name} is deterministic"
        );
        out.insert(name.to_string(), serde_json::Value::String(s));
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/cross-platform");
    std::fs::create_dir_all(dir).unwrap();
    let text = serde_json::to_string_pretty(&out).unwrap();
    std::fs::write(format!("{dir}/native.json"), text).unwrap();
}
