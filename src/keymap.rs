//! The page's keys: one table of (keys, command, description), read both by the keyboard
//! handler and by the `?` overlay that lists them, and the one rule for which keys a
//! focused control keeps. Pure (no browser), so it is tested natively.
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
}

/// Keys, what they do, and what the list of keys says about them.
#[derive(Debug)]
pub struct Binding {
    /// `KeyboardEvent.key` values (`"r"`, `"PageDown"`, `"Escape"`).
    pub keys: &'static [&'static str],
    /// What they do.
    pub command: Command,
    /// What the list of keys says.
    pub about: &'static str,
}

/// Every key of the page. Presentation remotes send PageDown / PageUp (and `.` / `b`):
/// in the workbench they step through the presets like `]` and `[`.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &["r"],
        command: Command::Run,
        about: "Run again",
    },
    Binding {
        keys: &["c"],
        command: Command::Compare,
        about: "Compare: copy the scenario into B; again closes B",
    },
    Binding {
        keys: &["[", "PageUp"],
        command: Command::PreviousPreset,
        about: "Previous preset",
    },
    Binding {
        keys: &["]", "PageDown"],
        command: Command::NextPreset,
        about: "Next preset",
    },
    Binding {
        keys: &["t"],
        command: Command::Theme,
        about: "Light or dark (high-contrast) theme",
    },
    Binding {
        keys: &["p"],
        command: Command::PlayPause,
        about: "Play or pause the run (from the end, from the start)",
    },
    Binding {
        keys: &["-"],
        command: Command::Slower,
        about: "Play back slower",
    },
    Binding {
        keys: &["+", "="],
        command: Command::Faster,
        about: "Play back faster",
    },
    Binding {
        keys: &["n"],
        command: Command::NextMoment,
        about: "Playback: to the next notable moment (a retry wave, a breaker opening…)",
    },
    Binding {
        keys: &["?"],
        command: Command::ShowKeys,
        about: "Show or hide this list of keys",
    },
    Binding {
        keys: &["Escape"],
        command: Command::Close,
        about: "Close this list",
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
pub fn command(key: &str, focus: Focus, modified: bool) -> Option<Command> {
    if modified || (focus == Focus::Text && key.chars().count() == 1) {
        return None;
    }
    BINDINGS
        .iter()
        .find(|b| b.keys.contains(&key))
        .map(|b| b.command)
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
    fn no_key_is_bound_twice() {
        let keys: Vec<&str> = BINDINGS
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k} is bound twice");
        }
    }

    #[test]
    fn shortcuts_work_from_menus_sliders_and_buttons() {
        for focus in [Focus::Page, Focus::Menu, Focus::Slider] {
            assert_eq!(command("r", focus, false), Some(Command::Run));
            assert_eq!(command("c", focus, false), Some(Command::Compare));
            assert_eq!(command("?", focus, false), Some(Command::ShowKeys));
            assert_eq!(command("p", focus, false), Some(Command::PlayPause));
            assert_eq!(command("+", focus, false), Some(Command::Faster));
            assert_eq!(command("-", focus, false), Some(Command::Slower));
            assert_eq!(command("n", focus, false), Some(Command::NextMoment));
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
            assert_eq!(command(key, Focus::Menu, false), None);
            assert_eq!(command(key, Focus::Slider, false), None);
        }
    }

    #[test]
    fn typing_in_a_field_types() {
        for key in ["r", "c", "t", "[", "]", "?", "p", "-", "+", "n"] {
            assert_eq!(command(key, Focus::Text, false), None, "{key}");
        }
        assert_eq!(
            command("r", Focus::Page, true),
            None,
            "Ctrl+R is the browser's"
        );
    }

    #[test]
    fn a_remote_steps_through_presets_wherever_the_focus_is() {
        for focus in [Focus::Page, Focus::Text, Focus::Menu, Focus::Slider] {
            assert_eq!(command("PageDown", focus, false), Some(Command::NextPreset));
            assert_eq!(
                command("PageUp", focus, false),
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
