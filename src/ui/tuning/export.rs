//! The Export panel: scenario A's policy as one library's configuration, with its fidelity
//! report and warnings, Copy and Download, and "Simulate as this library does", which
//! scores the policy as the library would run the snippet against the policy simulated.

use std::rc::Rc;

use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::export::{export, Library, Status};
use crate::sim::ScenarioConfig;
use crate::ui::export::download;
use crate::ui::hooks::write_text;

/// Props of [`ExportPanel`].
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// Scenario A, whose policy is exported.
    pub a: Rc<ScenarioConfig>,
    /// The library chosen.
    pub library: Library,
    /// Another library chosen.
    pub on_library: Callback<Library>,
    /// Score A against A as the library runs it.
    pub on_simulate: Callback<ScenarioConfig>,
    /// A task is running in the workers.
    pub busy: bool,
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Exact => "exact",
        Status::Approximated => "approximated",
        Status::NotExpressible => "missing",
    }
}

/// The panel.
#[function_component(ExportPanel)]
pub fn export_panel(p: &ExportProps) -> Html {
    let done = use_state(|| None::<String>);
    let exported = use_memo((p.a.clone(), p.library), |(a, l)| export(a, *l));
    let on_change = {
        let (on_library, done) = (p.on_library.clone(), done.clone());
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(l) = Library::ALL.get(el.selected_index().max(0) as usize) {
                done.set(None);
                on_library.emit(*l);
            }
        })
    };
    let picker = html! {
        <label>{"library "}
            <select id="export-library" onchange={on_change}>
                { for Library::ALL.iter().map(|l| html! {
                    <option value={l.id()} selected={*l == p.library}>{l.name()}</option>
                }) }
            </select>
        </label>
    };
    let e = match &*exported {
        Ok(e) => e.clone(),
        Err(err) => {
            return html! {
                <>
                    <div class="tune-form">{picker}</div>
                    <p class="error" role="alert" id="export-error">{format!("Scenario A does not validate, so there is nothing to export: {err}")}</p>
                </>
            }
        }
    };
    let copy = {
        let (text, done) = (e.snippet.clone(), done.clone());
        Callback::from(move |_| {
            let (text, done) = (text.clone(), done.clone());
            match write_text(&text) {
                Some(promise) => spawn_local(async move {
                    done.set(Some(match JsFuture::from(promise).await {
                        Ok(_) => "Copied.".into(),
                        Err(_) => "The browser refused the clipboard: select the snippet and copy it with Ctrl+C.".into(),
                    }))
                }),
                None => done.set(Some(
                    "No clipboard here: select the snippet and copy it with Ctrl+C.".into(),
                )),
            }
        })
    };
    let save = {
        let (text, name, done) = (e.snippet.clone(), p.library.file_name(), done.clone());
        Callback::from(move |_| {
            done.set(Some(match download(name, "text/plain", &text) {
                Ok(()) => format!("Downloaded {name}."),
                Err(err) => format!("The download failed: {err}"),
            }))
        })
    };
    let differs = e.differs(&p.a);
    let simulate = {
        let (on_simulate, lib) = (p.on_simulate.clone(), e.as_library.clone());
        Callback::from(move |_| on_simulate.emit(lib.clone()))
    };
    html! {
        <>
            <div class="tune-form">
                {picker}
                <button id="export-copy" onclick={copy}>{"Copy"}</button>
                <button id="export-download" onclick={save}>{format!("Download {}", p.library.file_name())}</button>
                <button id="export-simulate" class="primary" disabled={p.busy || !differs} onclick={simulate}
                    title="Score A's policy as simulated (A) against the policy this library would run from the snippet (B)">
                    {"Simulate as this library does"}
                </button>
            </div>
            if let Some(d) = &*done {
                <p class="hint" id="export-done" role="status">{d.clone()}</p>
            }
            <p class="hint" id="export-same">{
                if differs {
                    format!("{} would run a different policy from the one simulated (see the lines not exact): simulate it to see the difference in the scorecard.", p.library.name())
                } else {
                    format!("{} runs exactly the policy simulated.", p.library.name())
                }
            }</p>
            <div class="export">
                <pre id="export-snippet" tabindex="0"><code>{e.snippet.clone()}</code></pre>
                <div class="export-report">
                    <table class="scores fidelity" id="export-fidelity">
                        <caption>{format!("Fidelity: {}", e.version)}</caption>
                        <thead><tr>
                            <th scope="col">{"parameter"}</th>
                            <th scope="col">{"maps"}</th>
                            <th scope="col">{"how"}</th>
                        </tr></thead>
                        <tbody>
                            { for e.fidelity.iter().map(|f| html! {
                                <tr class={status_class(f.status)}>
                                    <th scope="row">{f.parameter.clone()}</th>
                                    <td class="status">{f.status.label()}</td>
                                    <td class="note">{f.note.clone()}</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    if !e.warnings.is_empty() {
                        <ul class="warnings" id="export-warnings">
                            { for e.warnings.iter().map(|w| html! { <li>{w.clone()}</li> }) }
                        </ul>
                    }
                </div>
            </div>
        </>
    }
}
