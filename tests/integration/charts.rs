//! Every chart of every preset, exported as SVG at the sizes the page draws, is checked for
//! text that overlaps other text or runs off the chart, and for a legend box that covers a
//! drawn point of a series.

use herdsim::charts::style::Palette;
use herdsim::charts::{self, Kind};
use herdsim::sim::scenario::presets;
use herdsim::sim::{RunRecord, Sim};

/// A box `(x0, y0, x1, y1)` in pixels.
type Bx = (f64, f64, f64, f64);

/// The page draws text at the size plotters asks for; its SVG writes that size / 1.24.
const PAGE_FONT: f64 = 1.24;
/// A conservative glyph width (em): the digits of DejaVu Sans, the widest common sans-serif.
const GLYPH: f64 = 0.64;

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every text of an SVG with its estimated box.
pub fn texts(svg: &str) -> Vec<(String, Bx)> {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let text = unescape(rest[..rest.find("</text>").unwrap()].trim());
        if text.trim().is_empty() {
            continue;
        }
        let size = num(tag, "font-size") * PAGE_FONT;
        let (x, y) = (num(tag, "x"), num(tag, "y"));
        let w = text.chars().count() as f64 * GLYPH * size;
        let x0 = match attr(tag, "text-anchor") {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let y0 = match attr(tag, "dy") {
            Some("0.76em") => y,
            Some("0.5ex") => y - size / 2.0,
            _ => y - size,
        };
        let mut b = (x0, y0, x0 + w, y0 + size);
        // rotated text (the y axis description) turns about its anchor
        if let Some(t) = attr(tag, "transform") {
            if t.starts_with("rotate(270") || t.starts_with("rotate(90") {
                let (dx0, dy0, dx1, dy1) = (b.0 - x, b.1 - y, b.2 - x, b.3 - y);
                b = if t.starts_with("rotate(270") {
                    (x + dy0, y - dx1, x + dy1, y - dx0)
                } else {
                    (x - dy1, y + dx0, x - dy0, y + dx1)
                };
            }
        }
        out.push((text, b));
    }
    out
}

/// The SVG's size.
fn size(svg: &str) -> (f64, f64) {
    let tag = &svg[svg.find("<svg").unwrap()..];
    (num(tag, "width"), num(tag, "height"))
}

/// Unfilled rectangles (the legend's box).
fn legend_boxes(svg: &str) -> Vec<Bx> {
    svg.split("<rect")
        .skip(1)
        .map(|p| p.split_once("/>").map_or(p, |x| x.0))
        .filter(|t| attr(t, "fill") == Some("none"))
        .map(|t| {
            let (x, y) = (num(t, "x"), num(t, "y"));
            (x, y, x + num(t, "width"), y + num(t, "height"))
        })
        .collect()
}

/// Drawn points of series: circle centres and polyline vertices.
fn points(svg: &str) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for p in svg.split("<circle").skip(1) {
        out.push((num(p, "cx"), num(p, "cy")));
    }
    for p in svg.split("<polyline").skip(1) {
        if let Some(pts) = attr(p, "points") {
            for xy in pts.split_whitespace() {
                if let Some((x, y)) = xy.split_once(',') {
                    out.push((x.parse().unwrap_or(0.0), y.parse().unwrap_or(0.0)));
                }
            }
        }
    }
    out
}

fn overlap(a: Bx, b: Bx) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// What reads wrong in an SVG chart: overlapping or clipped text, a legend over data.
pub fn problems(svg: &str) -> Vec<String> {
    let (w, h) = size(svg);
    let t = texts(svg);
    let mut out = Vec::new();
    for (i, (a, ba)) in t.iter().enumerate() {
        if ba.0 < -0.5 || ba.1 < -0.5 || ba.2 > w + 0.5 || ba.3 > h + 0.5 {
            out.push(format!("“{a}” runs off the {w}×{h} chart: {ba:?}"));
        }
        for (b, bb) in &t[i + 1..] {
            if overlap(*ba, *bb) {
                out.push(format!("“{a}” {ba:?} overlaps “{b}” {bb:?}"));
            }
        }
    }
    let pts = points(svg);
    for lb in legend_boxes(svg) {
        if let Some(p) = pts
            .iter()
            .find(|p| p.0 > lb.0 && p.0 < lb.2 && p.1 > lb.1 && p.1 < lb.3)
        {
            out.push(format!("the legend {lb:?} covers the point {p:?}"));
        }
    }
    out
}

fn record(name: &str) -> RunRecord {
    let mut cfg = presets::config(name).unwrap();
    cfg.clients.count = cfg.clients.count.min(300);
    let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
    sim.run();
    sim.record()
}

/// The sizes the page draws a chart at: A/B side by side and one column at 1280 px, two
/// columns at 1920 px (text scaled with the page's font), a phone.
const SIZES: [(u32, u32, f64); 4] = [
    (440, 240, 1.0),
    (890, 356, 1.0),
    (730, 292, 1.19),
    (370, 240, 1.0),
];

const ALL: [Kind; 12] = Kind::ALL;

/// (And at the presenter's sizes, with text and lines large enough for a projector.)
#[test]
fn no_chart_of_any_preset_has_overlapping_or_clipped_text_or_a_legend_over_data() {
    let dump = std::env::var_os("HERDSIM_SVG_DIR");
    let mut bad = Vec::new();
    for name in presets::names() {
        let rec = record(name);
        for kind in ALL {
            for (w, h, scale) in SIZES {
                let pal = Palette::LIGHT.scaled(scale);
                let svg = charts::svg(kind, &rec, Some(&rec), &pal, (w, h)).unwrap();
                if let Some(dir) = &dump {
                    let f = format!("{name}-{}-{w}.svg", kind.id());
                    std::fs::write(std::path::Path::new(dir).join(f), &svg).unwrap();
                }
                for p in problems(&svg) {
                    bad.push(format!("{name} {} {w}×{h}: {p}", kind.id()));
                }
            }
            // and on the presenter's page, where text and lines must also be large enough
            let pal = Palette::DARK.scaled(herdsim::charts::style::PRESENTER_SCALE);
            for (w, h) in [PRESENTER_TWO, PRESENTER_THREE] {
                let svg = charts::svg(kind, &rec, Some(&rec), &pal, (w, h)).unwrap();
                if let Some(dir) = &dump {
                    let f = format!("{name}-{}-{w}-presenter.svg", kind.id());
                    std::fs::write(std::path::Path::new(dir).join(f), &svg).unwrap();
                }
                for p in problems(&svg).into_iter().chain(small(&svg).0) {
                    bad.push(format!("{name} {} presenter {w}×{h}: {p}", kind.id()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn the_check_catches_overlapping_and_clipped_text_and_a_legend_over_points() {
    let svg = r##"<svg width="200" height="100" viewBox="0 0 200 100" xmlns="http://www.w3.org/2000/svg">
<text x="10" y="10" dy="0.76em" text-anchor="start" font-size="9.67">9k</text>
<text x="20" y="10" dy="0.76em" text-anchor="start" font-size="9.67">10k</text>
<text x="199" y="50" dy="0.5ex" text-anchor="start" font-size="9.67">120</text>
<rect x="100" y="60" width="50" height="20" fill="none" stroke="#000"/>
<polyline fill="none" points="90,90 120,70 160,65"/>
</svg>"##;
    let p = problems(svg);
    assert_eq!(p.len(), 3, "{p:#?}");
    let has = |f: &dyn Fn(&String) -> bool| p.iter().any(f);
    assert!(has(&|x| x.contains("“120” runs off")), "{p:#?}");
    assert!(
        has(&|x| x.contains("“9k”") && x.contains("overlaps “10k”")),
        "{p:#?}"
    );
    assert!(
        has(&|x| x.contains("covers the point (120.0, 70.0)")),
        "{p:#?}"
    );
    // a real chart with two labels drawn on one spot fails too
    let crowded = charts::to_svg((300, 150), |a| {
        use plotters::prelude::*;
        a.fill(&WHITE)?;
        a.draw(&Text::new("first attempts", (100, 50), ("sans-serif", 14)))?;
        a.draw(&Text::new("retries", (120, 52), ("sans-serif", 14)))
    })
    .unwrap();
    assert_eq!(problems(&crowded).len(), 1, "{:?}", problems(&crowded));
}

#[test]
fn rotated_text_turns_about_its_anchor() {
    let svg = r##"<svg width="100" height="100"><text x="10" y="50" dy="0.76em" text-anchor="middle" font-size="10" transform="rotate(270, 10, 50)">abcd</text></svg>"##;
    let t = texts(svg);
    let b = t[0].1;
    // 4 glyphs × 0.64 × 12.4 px ≈ 31.7 px tall after turning, 12.4 px wide, right of x
    assert!(
        (b.3 - b.1 - 31.744).abs() < 0.01 && (b.2 - b.0 - 12.4).abs() < 0.01,
        "{b:?}"
    );
    assert!(
        b.0 >= 10.0 - 1e-9 && (b.1 + b.3) / 2.0 - 50.0 < 1e-9,
        "{b:?}"
    );
}

/// The apexes of the marker triangles in an SVG (x, y): a polygon's third point.
fn triangles(svg: &str) -> Vec<(f64, f64)> {
    svg.split("<polygon")
        .skip(1)
        .filter_map(|p| {
            let pts: Vec<(f64, f64)> = attr(p, "points")?
                .split_whitespace()
                .filter_map(|xy| xy.split_once(','))
                .map(|(x, y)| (x.parse().unwrap_or(0.0), y.parse().unwrap_or(0.0)))
                .collect();
            (pts.len() == 3).then(|| pts[2])
        })
        .collect()
}

#[test]
fn the_herds_retry_waves_are_marked_on_its_arrivals_at_their_times_and_labelled() {
    use herdsim::charts::marks;
    use herdsim::charts::moments::{moments, MomentKind};
    let rec = {
        let cfg = presets::config("herd-no-jitter").unwrap();
        let mut sim = Sim::new(&cfg.validate().unwrap(), 1);
        sim.run();
        sim.record()
    };
    let waves: Vec<_> = moments(&rec)
        .into_iter()
        .filter(|m| m.kind == MomentKind::RetryWave)
        .collect();
    assert!(waves.len() >= 2, "{waves:?}");
    for (w, h, scale) in SIZES {
        let pal = Palette::LIGHT.scaled(scale);
        let mut frame = None;
        let svg = charts::to_svg((w, h), |a| {
            charts::draw(Kind::Arrivals, a, &rec, None, &pal).map(|f| frame = Some(f))
        })
        .unwrap();
        assert!(problems(&svg).is_empty(), "{w}: {:?}", problems(&svg));
        let f = frame.unwrap();
        let px = |t: f64| f.px.0 as f64 + (t - f.x.0) / (f.x.1 - f.x.0) * (f.px.1 - f.px.0) as f64;
        let tri = triangles(&svg);
        // one triangle per wave (and perhaps the legend's), each at its wave's time
        let legend = texts(&svg).iter().any(|t| t.0 == marks::KEY);
        assert_eq!(tri.len(), waves.len() + legend as usize, "{w}: {tri:?}");
        for m in &waves {
            let x = px(m.at_ms / 1000.0);
            assert!(
                tri.iter().any(|t| (t.0 - x).abs() <= 1.5),
                "{w}: a marker at {} s (x {x:.0}): {tri:?}",
                m.at_ms / 1000.0
            );
        }
        // the first wave is labelled with its multiple of capacity
        let first = marks::wave_factor(&waves[0]).unwrap();
        let label = format!("wave {}×", herdsim::units::sig3(first));
        if w >= 730 {
            assert!(texts(&svg).iter().any(|t| t.0 == label), "{w}: {label}");
        }
    }
    // and the breaker chart of gobreaker marks it opening and closing again
    let rec = record("gobreaker");
    let svg = charts::svg(Kind::Breakers, &rec, None, &Palette::LIGHT, (890, 356)).unwrap();
    let t = texts(&svg);
    assert!(
        t.iter().any(|t| t.0 == "opened") && t.iter().any(|t| t.0 == "closed"),
        "{t:?}"
    );
}

/// The presenter page at 1920×1080 (CSS px at device pixel ratio 1) shows a tour step's
/// two charts side by side at this size each…
const PRESENTER_TWO: (u32, u32) = (900, 560);
/// …and three at this size each (these mirror the page's presenter layout).
const PRESENTER_THREE: (u32, u32) = (600, 560);
/// The least a text may be on the presenter's charts (CSS px), and a title.
const MIN_TEXT: f64 = 20.0;
const MIN_TITLE: f64 = 28.0;
/// The least width of a data series' line there (px).
const MIN_LINE: f64 = 3.0;

/// Every text of an SVG in document order: its words, its size as the page draws it (CSS
/// px) and its anchor.
fn fonts(svg: &str) -> Vec<(String, f64, String)> {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let text = unescape(rest[..rest.find("</text>").unwrap()].trim());
        if text.trim().is_empty() {
            continue;
        }
        let anchor = attr(tag, "text-anchor").unwrap_or("start").to_string();
        out.push((text, num(tag, "font-size") * PAGE_FONT, anchor));
    }
    out
}

/// The title of a chart: its first texts, centred, all of one size (one or two lines).
fn title(svg: &str) -> (String, f64) {
    let f = fonts(svg);
    let size = f[0].1;
    let lines: Vec<&str> = f
        .iter()
        .take_while(|t| t.2 == "middle" && (t.1 - size).abs() < 1e-9)
        .map(|t| t.0.as_str())
        .collect();
    (lines.join(" "), size)
}

/// The colours data series are drawn in (the Okabe–Ito palette and its grey).
fn series_colors() -> Vec<String> {
    use herdsim::charts::style::*;
    let mut c = vec![
        FIRST,
        RETRY,
        FAULT,
        SPIKE,
        SUCCESS,
        TIMEOUT,
        ERROR,
        REJECTED,
        REFUSED,
        SHORT_CIRCUIT,
        THROTTLED,
        THIRD,
    ];
    c.extend((0..7).map(service_color));
    c.iter()
        .map(|c| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2))
        .collect()
}

/// The lines and polylines of an SVG: `(tag, stroke, opacity, stroke-width)`.
fn strokes(svg: &str) -> Vec<(&'static str, String, f64, f64)> {
    let mut out = Vec::new();
    for tag in ["polyline", "line"] {
        for p in svg.split(&format!("<{tag} ")).skip(1) {
            let t = p.split_once("/>").map_or(p, |x| x.0);
            let t = format!(" {t}");
            let stroke = attr(&t, "stroke").unwrap_or("none").to_string();
            out.push((tag, stroke, num(&t, "opacity"), num(&t, "stroke-width")));
        }
    }
    out
}

/// A whole word `w` in `text` (split at spaces and punctuation).
fn has_word(text: &str, w: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || ":,()·/".contains(c))
        .any(|x| x == w)
}

/// What is too small for a projector in an SVG chart: a text under [`MIN_TEXT`], a title
/// under [`MIN_TITLE`], a data series' line (a line or polyline in one of the series'
/// colours, drawn opaque) under [`MIN_LINE`]; and how many such lines there were.
fn small(svg: &str) -> (Vec<String>, usize) {
    let series = series_colors();
    let mut bad = Vec::new();
    for (t, px, _) in fonts(svg) {
        if px < MIN_TEXT - 1e-6 {
            bad.push(format!("“{t}” is {px:.1} px"));
        }
    }
    let (head, px) = title(svg);
    if px < MIN_TITLE - 1e-6 {
        bad.push(format!("the title “{head}” is {px:.1} px"));
    }
    let mut lines = 0;
    for (tag, stroke, opacity, width) in strokes(svg) {
        if series.contains(&stroke) && opacity >= 1.0 {
            lines += 1;
            if width < MIN_LINE {
                bad.push(format!("a {tag} in {stroke} is {width} px wide"));
            }
        }
    }
    (bad, lines)
}

#[test]
fn every_chart_of_every_tour_step_reads_on_a_projector() {
    use herdsim::charts::style::PRESENTER_SCALE;
    use herdsim::tour::{self, Tour};
    let dump = std::env::var_os("HERDSIM_SVG_DIR");
    let pal = Palette::LIGHT.scaled(PRESENTER_SCALE);
    // each distinct scenario and seed of the tours run once
    let mut runs: Vec<(herdsim::sim::Scenario, u64, RunRecord)> = Vec::new();
    let mut run = |s: &tour::StepScenario| -> usize {
        let key =
            |r: &(herdsim::sim::Scenario, u64, RunRecord)| r.0 == *s.scenario() && r.1 == s.seed();
        if let Some(i) = runs.iter().position(key) {
            return i;
        }
        let mut sim = Sim::new(s.scenario(), s.seed());
        sim.run();
        runs.push((s.scenario().clone(), s.seed(), sim.record()));
        runs.len() - 1
    };
    let mut jobs = Vec::new();
    for (name, text) in tour::TOURS {
        let t = Tour::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (n, step) in t.steps().iter().enumerate() {
            let a = run(step.scenario());
            let b = step.b().map(&mut run);
            jobs.push((
                format!("{name} step {}", n + 1),
                step.charts().to_vec(),
                a,
                b,
            ));
        }
    }
    let mut bad = Vec::new();
    let mut lines_checked = 0;
    for (step, kinds, a, b) in jobs {
        let size = if kinds.len() == 2 {
            PRESENTER_TWO
        } else {
            PRESENTER_THREE
        };
        let (a, b) = (&runs[a].2, b.map(|b| &runs[b].2));
        for kind in kinds {
            let overlay = matches!(kind, Kind::Overlay | Kind::ServicesOverlay);
            // a side of an A/B step may be shown either way round; an overlay is A over B
            let mut sides = vec![(a, b)];
            if let (Some(b), false) = (b, overlay) {
                sides.push((b, Some(a)));
            }
            for (side, (rec, peer)) in sides.into_iter().enumerate() {
                let svg = charts::svg(kind, rec, peer, &pal, size).unwrap();
                let ab = if b.is_some() { ["A ", "B "][side] } else { "" };
                let who = format!("{step} {} of {ab}{}", kind.id(), rec.scenario.name());
                if let Some(dir) = &dump {
                    let f = format!("{}-{}.svg", who.replace(' ', "-"), size.0);
                    std::fs::write(std::path::Path::new(dir).join(f), &svg).unwrap();
                }
                for p in problems(&svg) {
                    bad.push(format!("{who}: {p}"));
                }
                let (p, n) = small(&svg);
                bad.extend(p.into_iter().map(|p| format!("{who}: {p}")));
                lines_checked += n;
                let Some(peer) = peer else { continue };
                let (head, _) = title(&svg);
                let texts = fonts(&svg);
                if texts.iter().any(|t| t.0 == "A" || t.0 == "B")
                    || has_word(&head, "A")
                    || has_word(&head, "B")
                {
                    bad.push(format!("{who}: a lone A or B: {texts:?}"));
                }
                if overlay {
                    let (na, nb) = (rec.scenario.name(), peer.scenario.name());
                    let want = if na == nb {
                        [format!("A · {na}"), format!("B · {nb}")]
                    } else {
                        [na.to_string(), nb.to_string()]
                    };
                    for w in want {
                        if !texts.iter().any(|t| t.0 == w) {
                            bad.push(format!("{who}: no legend key “{w}”"));
                        }
                    }
                } else if !head.contains(rec.scenario.name()) {
                    bad.push(format!("{who}: the title “{head}” does not name the run"));
                }
            }
        }
    }
    // the line charts of the tour (gauges, overlays, breakers' services…) were looked at
    assert!(lines_checked > 100, "{lines_checked} series lines");
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Rectangles of an SVG filled with `fill` at full opacity: `(x0, y0, x1, y1)`.
fn filled(svg: &str, fill: &str) -> Vec<Bx> {
    svg.split("<rect")
        .skip(1)
        .map(|p| format!(" {}", p.split_once("/>").map_or(p, |x| x.0)))
        .filter(|t| attr(t, "fill") == Some(fill) && num(t, "opacity") >= 1.0)
        .map(|t| {
            let (x, y) = (num(&t, "x"), num(&t, "y"));
            (x, y, x + num(&t, "width"), y + num(&t, "height"))
        })
        .collect()
}

/// Straight `<line>`s of an SVG: `(x1, y1, x2, y2)`.
fn segments(svg: &str) -> Vec<Bx> {
    svg.split("<line ")
        .skip(1)
        .map(|p| format!(" {}", p.split_once("/>").map_or(p, |x| x.0)))
        .map(|t| (num(&t, "x1"), num(&t, "y1"), num(&t, "x2"), num(&t, "y2")))
        .collect()
}

#[test]
fn on_the_default_presets_arrivals_retries_are_hatched_and_first_attempts_plain() {
    use herdsim::charts::style::{FIRST, PRESENTER_SCALE, RETRY, THIRD};
    let hex = |c: plotters::style::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    let run = |name: &str| {
        let cfg = presets::config(name).unwrap();
        let mut sim = Sim::new(&cfg.validate().unwrap(), cfg.seed);
        sim.run();
        sim.record()
    };
    // the page opens on herd-no-jitter
    let (a, b) = (run("herd-no-jitter"), run("herd-full-jitter"));
    for pal in [Palette::LIGHT, Palette::DARK.scaled(PRESENTER_SCALE)] {
        let svg = charts::svg(Kind::Arrivals, &a, None, &pal, PRESENTER_TWO).unwrap();
        let lines = segments(&svg);
        let inside = |r: &Bx| {
            lines
                .iter()
                .filter(|l| {
                    let within = |x: f64, y: f64| x >= r.0 && x <= r.2 && y >= r.1 && y <= r.3;
                    within(l.0, l.1) && within(l.2, l.3)
                })
                .count()
        };
        // tall bars (however narrow) and the legend's swatch
        let big = |r: &&Bx| r.3 - r.1 >= 40.0 || (r.2 - r.0 >= 12.0 && r.3 - r.1 >= 9.0);
        let (first, retries) = (filled(&svg, &hex(FIRST)), filled(&svg, &hex(RETRY)));
        // bars and the legend's swatch alike
        let big_retries: Vec<&Bx> = retries.iter().filter(big).collect();
        assert!(big_retries.len() >= 5, "{retries:?}");
        for r in big_retries {
            assert!(inside(r) >= 1, "a retries bar {r:?} without hatching");
        }
        assert!(first.iter().filter(big).count() >= 2, "{first:?}");
        for r in &first {
            assert_eq!(inside(r), 0, "hatching on a first attempts bar {r:?}");
        }
        // the overlay: A one solid line, B (and its legend key) in dashes
        let svg = charts::svg(Kind::Overlay, &a, Some(&b), &pal, PRESENTER_TWO).unwrap();
        let s = strokes(&svg);
        let count = |tag: &str, c: plotters::style::RGBColor| {
            s.iter().filter(|x| x.0 == tag && x.1 == hex(c)).count()
        };
        assert_eq!(
            (count("polyline", FIRST), count("line", FIRST)),
            (1, 1),
            "A"
        );
        assert!(
            count("polyline", THIRD) > 50 && count("line", THIRD) >= 2,
            "B"
        );
    }
}
