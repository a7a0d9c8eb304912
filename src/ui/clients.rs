//! The herd as people: the sampled clients at the playback cursor, one cell each, with
//! their state as a colour and a shape (in flight: a disc; backing off: a ring; waiting: a
//! small dot; succeeded: a check; gave up: a cross), lit for a moment when they send. Plain
//! DOM: a frame changes a few class names, much cheaper than redrawing a canvas. The
//! states come from [`crate::playback::clients`]; the index is built once per run.

use std::rc::Rc;

use yew::prelude::*;

use crate::playback::clients::{tally, Cell, ClientIndex, ClientState, FLASH};
use crate::sim::{Micros, RunRecord};
use crate::units::{count, duration_ms};

/// Props of [`ClientGrid`].
#[derive(Properties, PartialEq)]
pub struct ClientGridProps {
    /// The cursor (µs). First, so that comparing the props of a frame stops at it.
    pub cursor: Micros,
    /// How long a cell stays lit after a send (µs of simulated time).
    #[prop_or(FLASH)]
    pub flash: Micros,
    /// The run.
    pub record: Rc<RunRecord>,
    /// `"a"` or `"b"`: the element is `#clients-a` / `#clients-b`.
    pub side: &'static str,
    /// Name the side in the heading (when comparing).
    #[prop_or_default]
    pub tagged: bool,
}

/// A run compared by identity: the index is rebuilt for a new run, never for a frame.
#[derive(Clone)]
struct Same(Rc<RunRecord>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A cell's classes, without building strings each frame.
fn class_of(c: Cell) -> &'static str {
    match (c.state, c.lit) {
        (ClientState::Waiting, false) => "cg-cell waiting",
        (ClientState::Waiting, true) => "cg-cell waiting lit",
        (ClientState::InFlight, false) => "cg-cell in-flight",
        (ClientState::InFlight, true) => "cg-cell in-flight lit",
        (ClientState::BackingOff, false) => "cg-cell backing-off",
        (ClientState::BackingOff, true) => "cg-cell backing-off lit",
        (ClientState::Succeeded, false) => "cg-cell succeeded",
        (ClientState::Succeeded, true) => "cg-cell succeeded lit",
        (ClientState::GaveUp, false) => "cg-cell gave-up",
        (ClientState::GaveUp, true) => "cg-cell gave-up lit",
    }
}

/// The grid of sampled clients at the cursor, with a legend counting each state; nothing
/// for a run without a sample.
#[function_component(ClientGrid)]
pub fn client_grid(p: &ClientGridProps) -> Html {
    let index = use_memo(Same(p.record.clone()), |r| ClientIndex::of(&r.0));
    let buffer = use_mut_ref(Vec::new);
    let mut cells = buffer.borrow_mut();
    index.cells_into(p.cursor, p.flash, &mut cells);
    if cells.is_empty() {
        return html! {};
    }
    let (n, lit) = tally(&cells);
    let rows = cells.len();
    let cols = (rows as f64).sqrt().ceil().max(1.0) as usize;
    let of = |s: ClientState| n[ClientState::ALL.iter().position(|x| *x == s).unwrap_or(0)];
    let heading = format!(
        "{}{} sampled clients",
        if p.tagged {
            format!("{}: ", p.side.to_uppercase())
        } else {
            String::new()
        },
        count(rows as u64)
    );
    let clients = p.record.scenario.clients().count;
    let about = format!(
        "The first {} of the run's {} clients, at the playback cursor. A cell lights up \
         for {} after its client sends an attempt.",
        count(rows as u64),
        count(u64::from(clients)),
        duration_ms(p.flash as f64 / 1_000.0)
    );
    let cut = index.complete_until().map(|t| {
        html! {
            <p class="sub cg-cut">{format!(
                "Attempts that ended after {} were not kept (the sample's cap): later states are incomplete.",
                duration_ms(t as f64 / 1_000.0)
            )}</p>
        }
    });
    html! {
        <section class="client-grid" id={format!("clients-{}", p.side)} title={about}
            data-in-flight={of(ClientState::InFlight).to_string()}
            data-backing-off={of(ClientState::BackingOff).to_string()}
            data-waiting={of(ClientState::Waiting).to_string()}
            data-succeeded={of(ClientState::Succeeded).to_string()}
            data-gave-up={of(ClientState::GaveUp).to_string()}
            data-lit={lit.to_string()}>
            <h3>{heading}</h3>
            <div class="cg-body">
                <div class="cg-cells" style={format!("--cols: {cols}")} role="img"
                    aria-label="One cell per sampled client, by state; the legend counts them">
                    { for cells.iter().map(|&c| html! { <span class={class_of(c)}></span> }) }
                </div>
                <ul class="cg-legend">
                    { for ClientState::ALL.iter().zip(n).map(|(&s, k)| html! {
                        <li><span class={class_of(Cell { state: s, lit: false })}></span>
                            {s.name()}<b>{count(k as u64)}</b></li>
                    }) }
                    <li><span class="cg-cell waiting lit"></span>
                        {format!("sent in the last {}", duration_ms(p.flash as f64 / 1_000.0))}
                        <b>{count(lit as u64)}</b></li>
                </ul>
            </div>
            { for cut }
        </section>
    }
}
