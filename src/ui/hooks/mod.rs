//! The page's side effects, one hook each: runs, the link in the address bar, the saved
//! state, copying the link, the keyboard, scenario files, the window size, animation frames. They read the
//! browser and dispatch [`Action`]s; the reducer (`state.rs`) stays pure.

mod canvas;
mod copy_link;
mod exports;
mod files;
mod frames;
mod keys;
mod resize;
mod runs;
mod saved_state;
mod share_link;

pub use canvas::use_fitted_canvas;
pub use copy_link::{use_copy_link, write_text};
pub use exports::use_exports;
pub use files::use_files;
pub use frames::use_frames;
pub use keys::use_keys;
pub use resize::use_resize_epoch;
pub use runs::{use_runs, Runs};
pub use saved_state::{read_saved, use_saved_state};
pub use share_link::{address_link, use_share_link};

use std::rc::Rc;

use super::state::{Action, Source};
use crate::share;
use crate::tour::{self, Tour, TourLink};

/// A tour link's step, or why it opens none.
pub fn open_tour(text: &str) -> Action {
    let link = match TourLink::parse(text) {
        Ok(link) => link,
        Err(e) => return Action::BadTourLink(format!("This tour link does not open: {e}.")),
    };
    let Some(read) = Tour::shipped(link.tour()) else {
        let names: Vec<&str> = tour::TOURS.iter().map(|t| t.0).collect();
        return Action::BadTourLink(format!(
            "There is no tour “{}”; this page has {}.",
            link.tour(),
            names.join(", ")
        ));
    };
    match read {
        Ok(t) => Action::Present {
            tour: Rc::new(t),
            step: link.step(),
            pulls: link.pulls().to_vec(),
        },
        Err(e) => Action::BadTourLink(format!("The tour “{}” does not read: {e}.", link.tour())),
    }
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The one way a link or saved state is opened: a tour link opens its step; anything else
/// is decoded as a share link, and if that fails, whether a saved state that reads is
/// there to offer instead is found out (the reducer words the notice).
pub fn open(from: Source, text: &str) -> Action {
    if from != Source::Saved && TourLink::is_tour_fragment(text) {
        return open_tour(text);
    }
    let decoded = share::decode(text).map(Box::new);
    let saved = decoded.is_err()
        && from != Source::Saved
        && read_saved().is_some_and(|t| share::decode(&t).is_ok());
    Action::Open {
        from,
        decoded,
        saved,
    }
}
