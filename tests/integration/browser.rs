//! In headless Chromium (`cargo test --target wasm32-unknown-unknown --test integration`,
//! after the native tests have written `target/cross-platform/native.json`).

use std::time::Duration;

use gloo::timers::future::sleep;
use herdsim::charts::style::Palette;
use herdsim::charts::{self, Kind};
use herdsim::sim::{scenario::presets, Sim};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, HtmlSelectElement};

use crate::common::{preset_summary_json, CROSS_PLATFORM};

wasm_bindgen_test_configure!(run_in_browser);

const NATIVE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/cross-platform/native.json"
));

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
fn wasm_gives_the_same_summaries_as_native() {
    let native: serde_json::Value = serde_json::from_str(NATIVE).unwrap();
    for &(name, seed, clients) in CROSS_PLATFORM {
        let wasm = preset_summary_json(name, seed, clients);
        assert_eq!(
            Some(wasm.as_str()),
            native[name].as_str(),
            "{name} differs between wasm and native"
        );
    }
}

fn inked(canvas: &HtmlCanvasElement) -> usize {
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data();
    data.chunks(4)
        .filter(|p| p[3] > 0 && (p[0] < 200 || p[1] < 200 || p[2] < 200))
        .count()
}

#[wasm_bindgen_test]
fn every_chart_draws_on_a_canvas() {
    // three services with breakers and a budget, so that every chart has something to draw
    let mut cfg = presets::config("breaker-per-service-vs-global").unwrap();
    cfg.clients.count = 300;
    cfg.budget = herdsim::sim::scenario::config::BudgetConfig::Grpc {
        max_tokens: 10.0,
        token_ratio: 0.1,
        scope: herdsim::sim::scenario::config::BudgetScopeConfig::Shared,
    };
    let sc = cfg.validate().unwrap();
    let mut sim = Sim::new(&sc, 1);
    sim.run();
    let rec = sim.record();
    let kinds = Kind::for_run(&rec, None);
    assert_eq!(kinds.len(), 9, "{kinds:?}");
    for kind in kinds.into_iter().chain([Kind::Overlay]) {
        let canvas: HtmlCanvasElement = document()
            .create_element("canvas")
            .unwrap()
            .unchecked_into();
        canvas.set_width(800);
        canvas.set_height(300);
        document().body().unwrap().append_child(&canvas).unwrap();
        assert_eq!(inked(&canvas), 0);
        let area = CanvasBackend::with_canvas_object(canvas.clone())
            .unwrap()
            .into_drawing_area();
        let frame = charts::draw(kind, &area, &rec, Some(&rec), &Palette::LIGHT).unwrap();
        assert!(
            inked(&canvas) > 5_000,
            "{kind:?} drawn: {} inked pixels",
            inked(&canvas)
        );
        assert!(
            frame.px.1 > frame.px.0 + 400,
            "{kind:?} plot spans most of the width: {frame:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_page_runs_the_selected_preset() {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<herdsim::ui::App>::with_root(root).render();
    sleep(Duration::from_millis(50)).await;
    let select: HtmlSelectElement = document()
        .get_element_by_id("preset")
        .unwrap()
        .unchecked_into();
    select.set_value("aws-occ-full");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    sleep(Duration::from_millis(20)).await;
    let run: HtmlElement = document()
        .get_element_by_id("run")
        .unwrap()
        .unchecked_into();
    run.click();
    let status = || {
        document()
            .query_selector("main")
            .unwrap()
            .unwrap()
            .get_attribute("data-status")
            .unwrap()
    };
    let requests = || {
        document()
            .query_selector("td[data-field=requests]")
            .unwrap()
            .and_then(|td| td.text_content())
    };
    // "done" may still be the default preset's first run (2,000 requests) when the click
    // lands: wait for the selected preset's run, up to 10 s of a busy machine
    for _ in 0..400 {
        if status() == "done" && requests().as_deref() == Some("100") {
            break;
        }
        sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(status(), "done");
    assert_eq!(requests().as_deref(), Some("100"));
}

#[wasm_bindgen_test]
fn the_reducer_compares_cancels_and_ignores_stale_runs() {
    use herdsim::ui::state::{Action, State, Status, Which};
    use std::rc::Rc;
    use yew::Reducible;
    let s = Rc::new(State::default());
    let s = s.reduce(Action::Compare);
    assert_eq!(s.editing, Which::B, "Compare edits B");
    assert_eq!(
        s.b.as_ref().unwrap().config,
        s.a.config,
        "B starts as a copy of A"
    );
    let s = s.reduce(Action::Preset("retry-storm".into()));
    assert_eq!(s.b.as_ref().unwrap().config.name, "retry-storm");
    assert_eq!(s.a.config.name, "herd-no-jitter", "A is untouched");
    // run 2 of B supersedes run 1: run 1's late result is ignored
    let s = s.reduce(Action::Started(Which::B, 1, Vec::new()));
    let s = s.reduce(Action::Started(Which::B, 2, Vec::new()));
    let mut cfg = presets::config("aws-occ-full").unwrap();
    cfg.clients.count = 5;
    let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
    sim.run();
    let rec = Rc::new(sim.record());
    let s = s.reduce(Action::Finished(Which::B, 1, rec.clone()));
    assert!(
        s.b.as_ref().unwrap().result.is_none(),
        "a stale run is ignored"
    );
    let s = s.reduce(Action::Cancel(Which::B));
    assert_eq!(s.b.as_ref().unwrap().status, Status::Cancelled);
    let s = s.reduce(Action::Finished(Which::B, 2, rec));
    assert!(
        s.b.as_ref().unwrap().result.is_none(),
        "a cancelled run's result is dropped"
    );
    let s = s.reduce(Action::Preset("no-such-preset".into()));
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.problem && n.text.contains("no-such-preset")),
        "{:?}",
        s.notice
    );
    let s = s.reduce(Action::CloseB);
    assert!(s.b.is_none() && s.editing == Which::A);
    let s = s.reduce(Action::Notice(None));
    // the share link holds exactly this state
    let back = State::from_shared(
        herdsim::share::decode(&herdsim::share::encode(&s.to_shared())).unwrap(),
    );
    assert_eq!(back.to_shared(), s.to_shared());
}

#[wasm_bindgen_test]
fn close_b_can_be_undone_exactly() {
    use herdsim::ui::state::{Action, Offer, State, Which};
    use std::rc::Rc;
    use yew::Reducible;
    let s = Rc::new(State::default()).reduce(Action::Compare);
    let s = s.reduce(Action::Preset("retry-storm".into()));
    let s = s.reduce(Action::Refused("an edit B refused".into()));
    let b = s.b.clone().unwrap();
    let s = s.reduce(Action::CloseB);
    assert!(s.b.is_none());
    let n = s.notice.clone().unwrap();
    assert!(
        n.offer == Offer::UndoCloseB && n.text.contains("B"),
        "{n:?}"
    );
    // editing A meanwhile does not lose B
    let s = s.reduce(Action::ToggleTheme);
    let s = s.reduce(Action::UndoCloseB);
    assert_eq!(s.b.as_ref(), Some(&b), "B comes back exactly as it was");
    assert_eq!((s.editing, s.notice.clone()), (Which::B, None));
    // a second undo has nothing to bring back
    assert_eq!(s.clone().reduce(Action::UndoCloseB), s);
    // `c` twice (close, then compare) makes a new B from A, and the closed B still comes
    // back, even after another notice replaced the offer
    let s = s.reduce(Action::CloseB).reduce(Action::Compare);
    assert_ne!(s.b.as_ref(), Some(&b));
    assert_eq!(
        s.notice.as_ref().map(|n| n.offer.clone()),
        Some(Offer::UndoCloseB)
    );
    let s = s.reduce(Action::Refused("another message".into()));
    let s = s.reduce(Action::Notice(None)).reduce(Action::UndoCloseB);
    assert_eq!(
        s.b.as_ref(),
        Some(&b),
        "the B closed before Compare comes back"
    );
}

#[wasm_bindgen_test]
fn a_bad_link_keeps_what_is_shown_and_is_held_until_the_user_chooses() {
    use herdsim::share::{decode, encode};
    use herdsim::ui::state::{Action, Offer, Source, State, Which};
    use std::rc::Rc;
    use yew::Reducible;
    let shown = Rc::new(State::default()).reduce(Action::Preset("retry-storm".into()));
    let bad = Action::Open {
        from: Source::PastedLink,
        decoded: decode("#v2.AAAA").map(Box::new),
        saved: true,
    };
    let s = shown.clone().reduce(bad);
    assert_eq!(s.to_shared(), shown.to_shared(), "nothing changed");
    assert!(s.held, "the link and saved state are held");
    let n = s.notice.clone().unwrap();
    assert!(n.problem && n.offer == Offer::RestoreSaved, "{n:?}");
    assert!(
        n.text.contains("damaged") || n.text.contains("cut short"),
        "{}",
        n.text
    );
    // restoring the saved state ends the hold
    let saved = encode(&shown.to_shared());
    let restored = s.clone().reduce(Action::Open {
        from: Source::Saved,
        decoded: decode(&saved).map(Box::new),
        saved: true,
    });
    assert!(!restored.held && restored.notice.is_none());
    assert_eq!(restored.to_shared(), shown.to_shared());
    // the theme or the side being edited are no choice about the scenario: still held
    let looked = s
        .clone()
        .reduce(Action::ToggleTheme)
        .reduce(Action::EditSide(Which::A));
    assert!(looked.held && looked.notice == s.notice);
    // an edit of the scenario is, and withdraws the offer to restore
    let edited = s.reduce(Action::Preset("metastable".into()));
    assert!(!edited.held && edited.notice.is_none());
    // without a saved state there is nothing to offer
    let s = Rc::new(State::default()).reduce(Action::Open {
        from: Source::Link,
        decoded: decode("v9.x").map(Box::new),
        saved: false,
    });
    let n = s.notice.clone().unwrap();
    assert!(
        n.offer == Offer::Nothing && n.text.contains("default scenario"),
        "{n:?}"
    );
}

#[wasm_bindgen_test]
fn a_bad_file_changes_nothing_and_a_good_one_opens_in_the_edited_side() {
    use herdsim::ui::state::{Action, State};
    use std::rc::Rc;
    use yew::Reducible;
    let s = Rc::new(State::default());
    let bad = s.clone().reduce(Action::Import {
        name: "x.json".into(),
        read: Err("it is not JSON (expected value at line 1 column 1).".into()),
    });
    assert_eq!(bad.to_shared(), s.to_shared());
    let n = bad.notice.clone().unwrap();
    assert!(
        n.problem
            && n.text
                .contains("“x.json” could not be opened: it is not JSON"),
        "{}",
        n.text
    );
    let cfg = presets::config("metastable").unwrap();
    let good = s.reduce(Action::Import {
        name: "m.json".into(),
        read: Ok(Box::new(cfg.clone())),
    });
    assert_eq!(good.a.config, cfg);
    assert!(!good.notice.clone().unwrap().problem);
}

#[wasm_bindgen_test]
fn the_presenter_steps_reveals_intervenes_undoes_and_leaves_on_the_step() {
    use herdsim::sim::scenario::intervene::Lever;
    use herdsim::tour::{self, Tour};
    use herdsim::ui::state::{Action, State};
    use std::rc::Rc;
    use yew::Reducible;
    let t = Rc::new(Tour::from_json(tour::json("handling-failures").unwrap()).unwrap());
    let four = t.step(4).unwrap();
    let s = Rc::new(State::default()).reduce(Action::Present {
        tour: t.clone(),
        step: 4,
        pulls: Vec::new(),
    });
    let p = s.present.clone().unwrap();
    assert_eq!(p.step, 4);
    assert_eq!(&s.a.config, four.scenario().config());
    assert_eq!(p.revealed, four.question().is_none());
    // the first "next" reveals the question's answer and starts the playback over
    let s = s.reduce(Action::StepBy(1));
    let q = s.present.clone().unwrap();
    assert!(q.revealed && q.step == 4 && q.cue == p.cue + 1, "{q:?}");
    // a lever at 30 s: a fault of the scenario, in the step's link
    let faults = s.a.config.faults.len();
    let s = s.reduce(Action::Pull(Lever::Down, 30_000_000));
    assert_eq!(s.a.config.faults.len(), faults + 1);
    let link = s.present.as_ref().unwrap().link().unwrap();
    assert_eq!(
        link.fragment(),
        "tour=handling-failures&step=4&do=down@30000"
    );
    let s = s.reduce(Action::UndoPull);
    assert_eq!(&s.a.config, four.scenario().config(), "undone");
    let s = s.reduce(Action::Pull(Lever::Spike, 20_000_000));
    let s = s.reduce(Action::Rewind);
    assert!(s.present.as_ref().unwrap().pulls.is_empty());
    assert_eq!(&s.a.config, four.scenario().config(), "rewound");
    // the next step is an A/B pair; back to the first and no further
    let s = s.reduce(Action::StepBy(1));
    assert_eq!(s.present.as_ref().unwrap().step, 5);
    assert!(s.b.is_some() == t.step(5).unwrap().b().is_some());
    let mut s = s;
    for _ in 0..12 {
        s = s.reduce(Action::StepBy(-1));
    }
    assert_eq!(s.present.as_ref().unwrap().step, 1);
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("first step")));
    // Esc: the workbench, on the step's scenario
    let s = s.reduce(Action::LeavePresenter);
    assert!(s.present.is_none());
    assert_eq!(&s.a.config, t.step(1).unwrap().scenario().config());
}
