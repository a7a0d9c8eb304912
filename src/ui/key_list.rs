//! The list of keys (`?`): every entry of [`keymap::BINDINGS`] that works where the page is
//! (the workbench or the presenter), on top of the page; Esc,
//! `?`, its Close button or a click beside it closes it.

use yew::prelude::*;

use crate::keymap::{self, Mode};

/// Props: what closes the list.
#[derive(Properties, PartialEq)]
pub struct KeyListProps {
    /// Close pressed, or a click beside the list.
    pub on_close: Callback<()>,
    /// Whose keys to list.
    pub mode: Mode,
}

/// The list of keys.
#[function_component(KeyList)]
pub fn key_list(p: &KeyListProps) -> Html {
    let close_button = use_node_ref();
    {
        // focus moves into the list (and off the control clicked last)
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(el) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let close = p.on_close.reform(|_: MouseEvent| ());
    let beside = p.on_close.reform(|_: MouseEvent| ());
    // a click inside the list is not a click beside it
    let inside = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="overlay" onclick={beside}>
            <div id="key-list" class="key-list" role="dialog" aria-labelledby="key-list-title" onclick={inside}>
                <h2 id="key-list-title">{"Keys"}</h2>
                <p class="hint">{"They work whatever you clicked last, except while typing in a text or number field."}</p>
                <table>
                    <tbody>
                        { for keymap::bindings(p.mode).map(|b| html! {
                            <tr>
                                <th scope="row">
                                    { for b.keys.iter().enumerate().map(|(i, k)| html! {
                                        <>{ if i > 0 { " " } else { "" } }<kbd>{keymap::label(k)}</kbd></>
                                    }) }
                                </th>
                                <td>{b.about}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <button id="key-list-close" ref={close_button} onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}
