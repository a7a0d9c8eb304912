//! The playback bar above the charts: play / pause, restart, a slider to scrub, the speed,
//! "next moment", and the counters at the cursor (for A, and B when comparing). Its state
//! is its own reducer over [`Playback`], so the frame loop re-renders the bar alone; the
//! charts follow through one CSS property, `--play-t` (the cursor in seconds), set on the
//! results section, from which each time chart's cover computes where it starts.
//! A presenter page reuses it as it is: give it the records and a [`Remote`] for its keys.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::clients::ClientGrid;
use super::hooks::use_frames;
use crate::charts::moments::{moments, Moment};
use crate::keymap::Command;
use crate::playback::clients::flash_at;
use crate::playback::counters::counters_at;
use crate::playback::{Playback, SPEEDS};
use crate::sim::{Micros, RunRecord};
use crate::units::duration_ms;

/// How the page reaches the bar: it leaves its command handler and its cursor here on every
/// render (both empty while no bar is shown).
#[derive(Default)]
pub struct Link {
    /// The bar's command handler (keys).
    pub keys: RefCell<Option<Callback<Command>>>,
    /// Where its cursor is (µs): where an intervention goes.
    pub cursor: Cell<Option<Micros>>,
}

/// One link is one link: compared by identity (props hold the page's one link).
impl PartialEq for Link {
    fn eq(&self, other: &Link) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The page's [`Link`] to the bar.
pub type Remote = Rc<Link>;

/// The element whose `--play-t` the charts' covers read.
pub const RESULTS_ID: &str = "results";

/// What the bar is asked to do.
pub enum PlayAction {
    /// A key's command.
    Key(Command),
    /// Real milliseconds passed (an animation frame).
    Frame(f64),
    /// Scrub to (µs).
    Seek(Micros),
    /// Back to 0, playing.
    Restart,
    /// This speed (index in [`SPEEDS`]).
    Speed(usize),
    /// A new run: it ends at (µs), and its moments.
    Run(Micros, Rc<Vec<Moment>>),
    /// A tour step's start: play from 0 (once per cue).
    Cue(Cue),
}

/// How a tour step plays: from 0 at a speed, pausing at a moment. The bar starts over once
/// per `id`, whatever re-renders.
#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    /// A new id starts over.
    pub id: u64,
    /// Speed, × real time.
    pub speed: f64,
    /// Where to pause (µs), and what the bar says then.
    pub stop: Option<(Micros, String)>,
}

/// The bar's state: the playback, the moments to step to, and frames drawn (for the bench).
#[derive(Clone, PartialEq)]
pub struct Player {
    /// The cursor.
    pub playback: Playback,
    /// The moments of A (and B), in time order.
    pub moments: Rc<Vec<Moment>>,
    /// Animation frames handled since the page opened.
    pub frames: u64,
    /// The moment the cursor last stepped to (its label shows).
    pub at_moment: Option<String>,
    /// The last cue played, and what it says when it pauses.
    pub cued: Option<Cue>,
}

impl Reducible for Player {
    type Action = PlayAction;
    fn reduce(self: Rc<Self>, action: PlayAction) -> Rc<Self> {
        let mut next = (*self).clone();
        let keeps_moment = matches!(action, PlayAction::Frame(_));
        let p = &mut next.playback;
        match action {
            PlayAction::Frame(ms) => {
                let stopping = p.stop_at.is_some();
                p.advance(ms);
                next.frames += 1;
                if stopping && p.stop_at.is_none() && !p.playing {
                    let said = next.cued.as_ref().and_then(|c| c.stop.as_ref());
                    next.at_moment = said.map(|s| format!("{} (p plays on)", s.1));
                }
            }
            PlayAction::Cue(cue) => {
                if self.cued.as_ref().is_some_and(|c| c.id == cue.id) {
                    return self;
                }
                p.cue(cue.speed, cue.stop.as_ref().map(|s| s.0));
                next.cued = Some(cue);
            }
            PlayAction::Key(Command::PlayPause) => p.toggle(),
            PlayAction::Key(Command::Slower) => p.change_speed(-1),
            PlayAction::Key(Command::Faster) => p.change_speed(1),
            PlayAction::Key(Command::NextMoment) => {
                let m = p.next_moment(&self.moments).map(|m| m.label.clone());
                next.at_moment = m;
                return Rc::new(next);
            }
            PlayAction::Key(_) => return self,
            PlayAction::Seek(t) => p.seek(t),
            PlayAction::Restart => p.restart(),
            PlayAction::Speed(i) => p.speed = i.min(SPEEDS.len() - 1),
            PlayAction::Run(end, moments) => {
                *p = p.with_end(end);
                next.moments = moments;
            }
        }
        if !keeps_moment {
            next.at_moment = None;
        }
        Rc::new(next)
    }
}

/// Props of [`PlaybackBar`].
#[derive(Properties, PartialEq)]
pub struct PlaybackProps {
    /// The run (A).
    pub a: Rc<RunRecord>,
    /// B, when comparing.
    #[prop_or_default]
    pub b: Option<Rc<RunRecord>>,
    /// Where the page's keys find the bar.
    pub remote: Remote,
    /// A tour step's playback (the presenter's): given once the step's runs are on screen.
    #[prop_or_default]
    pub cue: Option<Cue>,
    /// Whether the grid of sampled clients shows.
    #[prop_or_default]
    pub grids: Grids,
}

/// Whether the bar shows the grid of sampled clients.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grids {
    /// Behind a button (the workbench: the charts come first).
    #[default]
    Folded,
    /// Shown (a tour step about the clients).
    Shown,
    /// Not at all.
    Hidden,
}

fn end_of(a: &RunRecord, b: Option<&RunRecord>) -> Micros {
    let end = |r: &RunRecord| (r.summary.end_ms * 1_000.0).round() as Micros;
    end(a).max(b.map_or(0, end))
}

fn all_moments(a: &RunRecord, b: Option<&RunRecord>) -> Vec<Moment> {
    let mut m = moments(a);
    if let Some(b) = b {
        m.extend(moments(b).into_iter().map(|mut m| {
            m.label = format!("B: {}", m.label);
            m
        }));
    }
    m.sort_by(crate::charts::moments::in_time);
    m
}

/// Set the cursor where the charts read it.
fn show_cursor(p: &Playback) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(RESULTS_ID))
    else {
        return;
    };
    use wasm_bindgen::JsCast;
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h
            .style()
            .set_property("--play-t", &format!("{:.4}", p.cursor_s()));
    }
    let _ = el.set_attribute("data-play", if p.at_end() { "end" } else { "on" });
}

/// The playback bar.
#[function_component(PlaybackBar)]
pub fn playback_bar(p: &PlaybackProps) -> Html {
    let end = end_of(&p.a, p.b.as_deref());
    let player = use_reducer(|| Player {
        playback: Playback::new(end),
        moments: Rc::new(Vec::new()),
        frames: 0,
        at_moment: None,
        cued: None,
    });
    let dispatch = player.dispatcher();
    // a new run: new moments, the cursor kept where it fits
    {
        let dispatch = dispatch.clone();
        use_effect_with((p.a.clone(), p.b.clone()), move |(a, b)| {
            let (b, end) = (b.as_deref(), end_of(a, b.as_deref()));
            dispatch.dispatch(PlayAction::Run(end, Rc::new(all_moments(a, b))));
        });
    }
    {
        // after the run's effect above: a step starts on its own run
        let dispatch = dispatch.clone();
        use_effect_with(p.cue.clone(), move |cue| {
            if let Some(cue) = cue {
                dispatch.dispatch(PlayAction::Cue(cue.clone()));
            }
        });
    }
    // this bar's handler, so that when it goes it clears the link only if no newer bar
    // (the presenter's, the workbench's) has taken the link over meanwhile
    let mine = use_mut_ref(|| None::<Callback<Command>>);
    let keys = dispatch.to_callback().reform(PlayAction::Key);
    *mine.borrow_mut() = Some(keys.clone());
    *p.remote.keys.borrow_mut() = Some(keys);
    let pb = player.playback;
    p.remote.cursor.set(Some(pb.cursor));
    let grids_open = use_state(|| false);
    {
        let remote = p.remote.clone();
        use_effect_with((), move |_| {
            move || {
                if *remote.keys.borrow() == *mine.borrow() {
                    remote.keys.replace(None);
                    remote.cursor.set(None);
                }
            }
        });
    }
    use_frames(pb.playing, dispatch.to_callback().reform(PlayAction::Frame));
    use_effect_with(pb, show_cursor);
    let cursor_ms = pb.cursor as f64 / 1_000.0;
    let on_toggle = dispatch
        .to_callback()
        .reform(|_: MouseEvent| PlayAction::Key(Command::PlayPause));
    let on_restart = dispatch
        .to_callback()
        .reform(|_: MouseEvent| PlayAction::Restart);
    let on_next = dispatch
        .to_callback()
        .reform(|_: MouseEvent| PlayAction::Key(Command::NextMoment));
    let on_seek = dispatch.to_callback().reform(|e: InputEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        PlayAction::Seek((el.value_as_number().max(0.0) * 1_000.0) as Micros)
    });
    let on_speed = dispatch.to_callback().reform(|e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        PlayAction::Speed(el.value().parse().unwrap_or(crate::playback::DEFAULT_SPEED))
    });
    let cells = html! {
        <div class="client-grids">
            <ClientGrid cursor={pb.cursor} flash={flash_at(pb.speed())} record={p.a.clone()} side="a" tagged={p.b.is_some()} />
            if let Some(b) = &p.b { <ClientGrid cursor={pb.cursor} flash={flash_at(pb.speed())} record={b.clone()} side="b" tagged=true /> }
        </div>
    };
    let grids = match p.grids {
        Grids::Hidden => html! {},
        Grids::Shown => cells,
        Grids::Folded => {
            let flip = {
                let open = grids_open.clone();
                Callback::from(move |_: MouseEvent| open.set(!*open))
            };
            html! {
                <div class="client-grids-box">
                    <button id="clients-toggle" class="small" aria-expanded={grids_open.to_string()} onclick={flip}
                        title="A grid of the sampled clients at the cursor: who is waiting, in flight, backing off, done">
                        { if *grids_open { "Hide the sampled clients" } else { "Show the sampled clients (the herd as people)" } }
                    </button>
                    if *grids_open { { cells } }
                </div>
            }
        }
    };
    let counters = |side: &str, rec: &RunRecord| {
        let texts = counters_at(rec, pb.cursor).texts();
        html! {
            <dl class="play-counters" id={format!("play-counters-{}", side.to_lowercase())}>
                if p.b.is_some() { <dt class="side-tag">{side}</dt><dd></dd> }
                { for texts.into_iter().map(|(k, v)| html! { <><dt>{k}</dt><dd>{v}</dd></> }) }
            </dl>
        }
    };
    html! {
        <div class="playback" id="playback" role="group" aria-label="Playback"
            data-cursor-ms={format!("{cursor_ms:.0}")} data-playing={pb.playing.to_string()}
            data-frames={player.frames.to_string()} data-speed={pb.speed().to_string()}>
            <div class="play-row">
                <button id="play-toggle" onclick={on_toggle} title="Play or pause (p); from the end, from the start"
                    aria-pressed={pb.playing.to_string()}>{ if pb.playing { "Pause" } else { "▶ Play" } }</button>
                <button id="play-restart" onclick={on_restart} title="Play from the start">{"Restart"}</button>
                <button id="play-next" onclick={on_next} title="To the next notable moment (n): a retry wave, a breaker opening, the budget running dry, recovery">{"Next moment"}</button>
                <input id="play-scrub" type="range" min="0" max={format!("{:.0}", end as f64 / 1_000.0)} step="any"
                    value={format!("{cursor_ms:.0}")} oninput={on_seek} aria-label="Playback time (ms)"
                    aria-valuetext={duration_ms(cursor_ms)} />
                <span class="play-time" id="play-time">{format!("{} / {}", secs(cursor_ms), secs(end as f64 / 1_000.0))}</span>
                <span class="play-speed"><label for="play-speed">{"speed "}</label>
                <select id="play-speed" onchange={on_speed} title="Playback speed, times real time (- slower, + faster)">
                    { for SPEEDS.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == pb.speed}>{format!("{s}×")}</option>
                    }) }
                </select></span>
            </div>
            if let Some(m) = &player.at_moment {
                <p class="play-moment" id="play-moment" aria-live="polite">{m.clone()}</p>
            }
            <div class="play-counters-row" aria-live="off">
                { counters("A", &p.a) }
                if let Some(b) = &p.b { { counters("B", b) } }
            </div>
            { grids }
        </div>
    }
}

/// `12.3 s`: the cursor's time, one decimal.
fn secs(ms: f64) -> String {
    format!("{:.1} s", ms / 1_000.0)
}
