//! The toolbar: preset menu, Run, Compare / Close B, Copy link, Open…, exports, theme,
//! the list of keys.

use yew::prelude::*;

use super::state::Which;
use crate::sim::scenario::presets;

/// Props: what the toolbar shows and what its buttons do.
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The side the controls edit.
    pub editing: Which,
    /// Its preset name (selected in the menu if it is one).
    pub preset: AttrValue,
    /// B is open.
    pub comparing: bool,
    /// Dark theme.
    pub dark: bool,
    /// A preset was picked.
    pub on_preset: Callback<String>,
    /// Run again.
    pub on_run: Callback<()>,
    /// Compare, or close B.
    pub on_compare: Callback<()>,
    /// Copy link.
    pub on_copy: Callback<()>,
    /// A scenario file was chosen.
    pub on_open: Callback<web_sys::File>,
    /// Export CSV.
    pub on_csv: Callback<()>,
    /// Export JSON.
    pub on_json: Callback<()>,
    /// Switch theme.
    pub on_theme: Callback<()>,
    /// Show the list of keys.
    pub on_keys: Callback<()>,
    /// Present the tour.
    pub on_present: Callback<()>,
}

/// The preset menu: groups of (name, description), parsed once rather than on every render
/// (the page renders on every progress step of a run).
type Menu = Vec<(&'static str, Vec<(&'static str, String)>)>;

fn menu() -> Menu {
    presets::groups()
        .into_iter()
        .map(|(group, names)| {
            let items = names
                .into_iter()
                .map(|n| {
                    let about = presets::config(n).map(|c| c.description);
                    (n, about.unwrap_or_default())
                })
                .collect();
            (group, items)
        })
        .collect()
}

/// The toolbar.
#[function_component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let menu = use_memo((), |_| menu());
    let file_input = use_node_ref();
    let on_preset = p.on_preset.reform(|e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        el.value()
    });
    let choose = {
        let file_input = file_input.clone();
        Callback::from(move |_| {
            if let Some(el) = file_input.cast::<web_sys::HtmlInputElement>() {
                el.click();
            }
        })
    };
    let on_file = {
        let on_open = p.on_open.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = el.files().and_then(|f| f.get(0)) {
                on_open.emit(file);
            }
            // the same file chosen again is a change again
            el.set_value("");
        })
    };
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    // a scenario from a file or a link may be named after no preset: say so in the menu
    let known = menu
        .iter()
        .any(|(_, items)| items.iter().any(|(n, _)| *n == p.preset.as_str()));
    html! {
        <div class="toolbar" role="toolbar" aria-label="Actions">
            <label for="preset">{format!("Preset ({})", p.editing.label())}</label>
            <select id="preset" onchange={on_preset} title="Shortcut: [ and ] switch presets">
                if !known {
                    <option value="" selected=true disabled=true>{format!("{} (not a preset)", p.preset)}</option>
                }
                { for menu.iter().map(|(group, items)| html! {
                    <optgroup label={*group}>
                        { for items.iter().map(|(n, d)| html! {
                            <option value={*n} title={d.clone()} selected={*n == p.preset.as_str()}>{*n}</option>
                        }) }
                    </optgroup>
                }) }
            </select>
            <button id="run" onclick={click(&p.on_run)} title="Run again (shortcut: r)">{"Run"}</button>
            <button id="compare" onclick={click(&p.on_compare)} aria-pressed={p.comparing.to_string()} title="Copy this scenario into B and compare; again to close B (shortcut: c)">
                { if p.comparing { "Close B" } else { "Compare" } }
            </button>
            <button id="copy-link" onclick={click(&p.on_copy)} title="Copy a link that opens exactly this view">{"Copy link"}</button>
            <button id="open" onclick={choose} title={format!("Open a scenario JSON file as {} (or drop one onto the page); at most 1 MB", p.editing.label())}>{"Open…"}</button>
            <input type="file" id="open-file" class="visually-hidden" tabindex="-1" aria-hidden="true" accept=".json,application/json" ref={file_input} onchange={on_file} />
            <button id="export-csv" onclick={click(&p.on_csv)} title="Time series as CSV (with B: both, a first column side = A or B)">{"CSV"}</button>
            <button id="export-json" onclick={click(&p.on_json)} title="Scenario and summary as JSON (with B: both, as a and b); Open… reads it back">{"JSON"}</button>
            <button id="theme" onclick={click(&p.on_theme)} aria-pressed={p.dark.to_string()} title="Light or high-contrast dark theme (shortcut: t)">
                { if p.dark { "Light theme" } else { "Dark theme" } }
            </button>
            <button id="present" onclick={click(&p.on_present)} title="Present the lecture as a tour: one idea per screen, played back step by step (→ next, Esc back here)">{"Present"}</button>
            <button id="keys" onclick={click(&p.on_keys)} title="Every key of the page (shortcut: ?)">{"Keys"}</button>
        </div>
    }
}
