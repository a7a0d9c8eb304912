//! The state saved in this browser (localStorage): it follows what is shown (unless held:
//! a link that could not be opened never overwrites it), and can be restored.

use std::rc::Rc;

use yew::prelude::*;

use super::{open, window};
use crate::ui::state::{Action, Source};

/// localStorage key of the last state.
const STORAGE_KEY: &str = "herdsim.state";

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The saved state's text, if any.
pub fn read_saved() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Save `fragment` unless `held`; the callback restores the saved state.
#[hook]
pub fn use_saved_state(
    fragment: Rc<String>,
    held: bool,
    dispatch: Callback<Action>,
) -> Callback<()> {
    use_effect_with((fragment, held), |(fragment, held)| {
        if !*held {
            if let Some(st) = storage() {
                // full or refused storage: the link still holds the state
                let _ = st.set_item(STORAGE_KEY, fragment);
            }
        }
    });
    use_callback(dispatch, |_: (), dispatch| {
        dispatch.emit(open(Source::Saved, &read_saved().unwrap_or_default()))
    })
}
