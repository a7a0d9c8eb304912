//! The page's keys: one table of (keys, where, command, description), read both by the
//! keyboard handler and by the `?` overlay that lists them, and the one rule for which keys
//! a focused control keeps. Pure (no browser), so it is tested natively. The workbench and
//! the presenter each have their keys; a presentation remote's (PageDown, PageUp, `.`,
//! `b`) do the obvious thing in each.
//!
//! A new key is one [`Binding`] in [`BINDINGS`] (and, for a new command, one [`Command`]
//! variant and the page's answer to it).

/// What a key asks the page to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run again.
    Run,
    /// Compare A and B, or close B.
    Compare,
    /// The preset before this one in the menu.
    PreviousPreset,
    /// The preset after this one in the menu.
    NextPreset,
    /// Light or dark theme.
    Theme,
    /// Show or hide the list of keys.
    ShowKeys,
    /// Close what is open on top of the page (the list of keys).
    Close,
    /// Play or pause the playback (from the end: from the start).
    PlayPause,
    /// Play back slower.
    Slower,
    /// Play back faster.
    Faster,
    /// Move the playback cursor to the next notable moment.
    NextMoment,
    /// Presenter: the next step (or reveal the step's answer to its question).
    NextStep,
    /// Presenter: the previous step.
    PreviousStep,
    /// Presenter: full screen, or not.
    FullScreen,
    /// Presenter: black the screen, or show it again (as a remote's `b` does in slides).
    Blank,
    /// Presenter: pull intervention lever `n` (1 to 4) at the playback cursor.
    Pull(u8),
    /// Presenter: undo the last intervention.
    Undo,
    /// Presenter: back to the step's start, without its interventions.
    Rewind,
}

/// Where a key works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The workbench: controls, results, charts.
    Workbench,
    /// Presenting a tour, step by step.
    Presenter,
}

/// Where a binding works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// In both modes.
    Always,
    /// In one mode.
    Only(Mode),
}

impl When {
    /// Whether it works in `mode`.
    pub fn includes(self, mode: Mode) -> bool {
        match self {
            When::Always => true,
            When::Only(m) => m == mode,
        }
    }
}

/// Keys, what they do, and what the list of keys says about them.
#[derive(Debug)]
pub struct Binding {
    /// `KeyboardEvent.key` values (`"r"`, `"PageDown"`, `"Escape"`).
    pub keys: &'static [&'static str],
    /// Where they work.
    pub when: When,
    /// What they do.
    pub command: Command,
    /// What the list of keys says.
    pub about: &'static str,
}

/// Every key of the page. Presentation remotes send PageDown / PageUp (and `.` / `b`):
/// in the workbench they step through the presets like `]` and `[`; presenting, through
/// the steps (and `b` blacks the screen).
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &["r"],
        when: When::Only(Mode::Workbench),
        command: Command::Run,
        about: "Run again",
    },
    Binding {
        keys: &["c"],
        when: When::Only(Mode::Workbench),
        command: Command::Compare,
        about: "Compare: copy the scenario into B; again closes B",
    },
    Binding {
        keys: &["[", "PageUp"],
        when: When::Only(Mode::Workbench),
        command: Command::PreviousPreset,
        about: "Previous preset",
    },
    Binding {
        keys: &["]", "PageDown"],
        when: When::Only(Mode::Workbench),
        command: Command::NextPreset,
        about: "Next preset",
    },
    Binding {
        keys: &["t"],
        when: When::Always,
        command: Command::Theme,
        about: "Light or dark (high-contrast) theme",
    },
    Binding {
        keys: &["p"],
        when: When::Always,
        command: Command::PlayPause,
        about: "Play or pause the run (from the end, from the start)",
    },
    Binding {
        keys: &["-"],
        when: When::Always,
        command: Command::Slower,
        about: "Play back slower",
    },
    Binding {
        keys: &["+", "="],
        when: When::Always,
        command: Command::Faster,
        about: "Play back faster",
    },
    Binding {
        keys: &["n"],
        when: When::Always,
        command: Command::NextMoment,
        about: "Playback: to the next notable moment (a retry wave, a breaker opening…)",
    },
    Binding {
        keys: &["?"],
        when: When::Always,
        command: Command::ShowKeys,
        about: "Show or hide this list of keys",
    },
    Binding {
        keys: &["Escape"],
        when: When::Always,
        command: Command::Close,
        about: "Close this list; presenting, back to the workbench (explore from here)",
    },
    Binding {
        keys: &["ArrowRight", "PageDown", " ", "."],
        when: When::Only(Mode::Presenter),
        command: Command::NextStep,
        about: "Next step (first, the answer to the step's question)",
    },
    Binding {
        keys: &["ArrowLeft", "PageUp"],
        when: When::Only(Mode::Presenter),
        command: Command::PreviousStep,
        about: "Previous step",
    },
    Binding {
        keys: &["1"],
        when: When::Only(Mode::Presenter),
        command: Command::Pull(1),
        about: "Intervene now: take the service down / bring it back",
    },
    Binding {
        keys: &["2"],
        when: When::Only(Mode::Presenter),
        command: Command::Pull(2),
        about: "Intervene now: black-hole the service / answer again",
    },
    Binding {
        keys: &["3"],
        when: When::Only(Mode::Presenter),
        command: Command::Pull(3),
        about: "Intervene now: load ×2 / back to normal",
    },
    Binding {
        keys: &["4"],
        when: When::Only(Mode::Presenter),
        command: Command::Pull(4),
        about: "Intervene now: the service 5× slower / normal speed",
    },
    Binding {
        keys: &["u"],
        when: When::Only(Mode::Presenter),
        command: Command::Undo,
        about: "Undo the last intervention",
    },
    Binding {
        keys: &["r"],
        when: When::Only(Mode::Presenter),
        command: Command::Rewind,
        about: "Rewind: the step from its start, without interventions",
    },
    Binding {
        keys: &["f"],
        when: When::Only(Mode::Presenter),
        command: Command::FullScreen,
        about: "Full screen, or not",
    },
    Binding {
        keys: &["b"],
        when: When::Only(Mode::Presenter),
        command: Command::Blank,
        about: "Black screen, or back (as in slides)",
    },
];

/// What had focus when a key was pressed: it decides which keys that control keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The page itself, a button, a checkbox, a link: every key is a shortcut.
    Page,
    /// A field that takes text (text, number, search… inputs, a textarea, editable
    /// content): characters are typed, never shortcuts.
    Text,
    /// A menu (`<select>`): it keeps its arrow keys (not in the table); letters that are
    /// shortcuts no longer retype the menu.
    Menu,
    /// A slider: it keeps its arrow keys and Home / End (not in the table).
    Slider,
}

impl Focus {
    /// The focus of an element by its tag name and, for an `<input>`, its `type`
    /// (`None` or an unknown type is a text field, as browsers treat it).
    pub fn of(tag: &str, input_type: Option<&str>, editable: bool) -> Focus {
        if editable {
            return Focus::Text;
        }
        match tag.to_ascii_uppercase().as_str() {
            "TEXTAREA" => Focus::Text,
            "SELECT" => Focus::Menu,
            "INPUT" => match input_type.map(str::to_ascii_lowercase).as_deref() {
                Some("range") => Focus::Slider,
                Some(
                    "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "color"
                    | "image",
                ) => Focus::Page,
                _ => Focus::Text,
            },
            _ => Focus::Page,
        }
    }
}

/// The command of `key` pressed with `focus`, if it is a shortcut there. With Ctrl, Alt or
/// ⌘ held (`modified`) no key is a shortcut (Ctrl+C copies). In a text field, a key that
/// types a character types it; keys that type nothing there (PageDown, Escape) still act,
/// so a presentation remote works wherever the focus was left.
pub fn command(key: &str, mode: Mode, focus: Focus, modified: bool) -> Option<Command> {
    if modified || (focus == Focus::Text && key.chars().count() == 1) {
        return None;
    }
    BINDINGS
        .iter()
        .find(|b| b.when.includes(mode) && b.keys.contains(&key))
        .map(|b| b.command)
}

/// The bindings that work in `mode`, in table order (what the list of keys shows).
pub fn bindings(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.when.includes(mode))
}

/// How the list of keys names a key (`PageDown` → `Page Down`, `Escape` → `Esc`).
pub fn label(key: &str) -> &str {
    match key {
        "PageDown" => "Page Down",
        "PageUp" => "Page Up",
        "Escape" => "Esc",
        " " => "Space",
        "ArrowRight" => "→",
        "ArrowLeft" => "←",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        for mode in [Mode::Workbench, Mode::Presenter] {
            let keys: Vec<&str> = bindings(mode)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k} is bound twice in {mode:?}");
            }
        }
    }

    #[test]
    fn a_remote_steps_through_a_tour_and_blacks_the_screen_wherever_the_focus_is() {
        let p = Mode::Presenter;
        for focus in [Focus::Page, Focus::Menu, Focus::Slider] {
            for key in ["PageDown", "ArrowRight", " ", "."] {
                assert_eq!(
                    command(key, p, focus, false),
                    Some(Command::NextStep),
                    "{key}"
                );
            }
            for key in ["PageUp", "ArrowLeft"] {
                assert_eq!(command(key, p, focus, false), Some(Command::PreviousStep));
            }
            assert_eq!(command("b", p, focus, false), Some(Command::Blank));
            assert_eq!(command("f", p, focus, false), Some(Command::FullScreen));
            assert_eq!(command("r", p, focus, false), Some(Command::Rewind));
            assert_eq!(command("p", p, focus, false), Some(Command::PlayPause));
            assert_eq!(command("Escape", p, focus, false), Some(Command::Close));
            for d in 1..=4u8 {
                let key = d.to_string();
                assert_eq!(command(&key, p, focus, false), Some(Command::Pull(d)));
                assert_eq!(command(&key, Mode::Workbench, focus, false), None);
            }
        }
        // the workbench's own keys are not the presenter's
        assert_eq!(command("c", p, Focus::Page, false), None);
        assert_eq!(command("[", p, Focus::Page, false), None);
        assert_eq!(command(" ", Mode::Workbench, Focus::Page, false), None);
    }

    #[test]
    fn shortcuts_work_from_menus_sliders_and_buttons() {
        for focus in [Focus::Page, Focus::Menu, Focus::Slider] {
            assert_eq!(
                command("r", Mode::Workbench, focus, false),
                Some(Command::Run)
            );
            assert_eq!(
                command("c", Mode::Workbench, focus, false),
                Some(Command::Compare)
            );
            assert_eq!(
                command("?", Mode::Workbench, focus, false),
                Some(Command::ShowKeys)
            );
            assert_eq!(
                command("p", Mode::Workbench, focus, false),
                Some(Command::PlayPause)
            );
            assert_eq!(
                command("+", Mode::Workbench, focus, false),
                Some(Command::Faster)
            );
            assert_eq!(
                command("-", Mode::Workbench, focus, false),
                Some(Command::Slower)
            );
            assert_eq!(
                command("n", Mode::Workbench, focus, false),
                Some(Command::NextMoment)
            );
        }
        // a menu's and a slider's own keys are not shortcuts
        for key in [
            "ArrowUp",
            "ArrowDown",
            "ArrowLeft",
            "ArrowRight",
            "Home",
            "End",
        ] {
            assert_eq!(command(key, Mode::Workbench, Focus::Menu, false), None);
            assert_eq!(command(key, Mode::Workbench, Focus::Slider, false), None);
        }
    }

    #[test]
    fn typing_in_a_field_types() {
        for key in ["r", "c", "t", "[", "]", "?", "p", "-", "+", "n"] {
            assert_eq!(
                command(key, Mode::Workbench, Focus::Text, false),
                None,
                "{key}"
            );
        }
        assert_eq!(
            command("r", Mode::Workbench, Focus::Page, true),
            None,
            "Ctrl+R is the browser's"
        );
    }

    #[test]
    fn a_remote_steps_through_presets_wherever_the_focus_is() {
        for focus in [Focus::Page, Focus::Text, Focus::Menu, Focus::Slider] {
            assert_eq!(
                command("PageDown", Mode::Workbench, focus, false),
                Some(Command::NextPreset)
            );
            assert_eq!(
                command("PageUp", Mode::Workbench, focus, false),
                Some(Command::PreviousPreset)
            );
        }
    }

    #[test]
    fn focus_of_elements() {
        assert_eq!(Focus::of("INPUT", Some("number"), false), Focus::Text);
        assert_eq!(Focus::of("INPUT", None, false), Focus::Text);
        assert_eq!(Focus::of("INPUT", Some("range"), false), Focus::Slider);
        assert_eq!(Focus::of("INPUT", Some("checkbox"), false), Focus::Page);
        assert_eq!(Focus::of("SELECT", None, false), Focus::Menu);
        assert_eq!(Focus::of("BUTTON", None, false), Focus::Page);
        assert_eq!(Focus::of("DIV", None, true), Focus::Text);
    }

    #[test]
    fn every_key_has_a_label_and_every_binding_a_description() {
        for b in BINDINGS {
            assert!(!b.about.is_empty() && !b.keys.is_empty(), "{b:?}");
            assert!(b.keys.iter().all(|k| !label(k).is_empty()), "{b:?}");
        }
        assert_eq!(label("Escape"), "Esc");
        assert_eq!(label("PageDown"), "Page Down");
    }
}
