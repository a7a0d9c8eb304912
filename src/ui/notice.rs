//! The notice under the toolbar: a message with what it offers (restore the saved state,
//! undo Close B, a selected link to copy by hand, the next seed) and a dismiss button.

use yew::prelude::*;

use super::state::{Notice, Offer};

/// Props: the notice and what its buttons do.
#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    /// What to say.
    pub notice: Notice,
    /// × pressed.
    pub on_dismiss: Callback<()>,
    /// Restore last saved state pressed.
    pub on_restore: Callback<()>,
    /// Undo (of Close B) pressed.
    pub on_undo: Callback<()>,
    /// Next seed pressed.
    pub on_next_seed: Callback<()>,
}

/// A read-only field holding `link`, selected (and focused) when it appears, so that
/// Ctrl+C copies it.
#[derive(Properties, PartialEq)]
struct CopyFieldProps {
    link: AttrValue,
}

#[function_component(CopyField)]
fn copy_field(p: &CopyFieldProps) -> Html {
    let field = use_node_ref();
    {
        let field = field.clone();
        use_effect_with(p.link.clone(), move |_| {
            if let Some(el) = field.cast::<web_sys::HtmlInputElement>() {
                let _ = el.focus();
                el.select();
                // selecting scrolls to the end: show where the link starts
                el.set_scroll_left(0);
            }
        });
    }
    let select = Callback::from(|e: FocusEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        el.select();
    });
    html! {
        <input id="copy-field" class="copy-field" type="text" readonly=true value={p.link.clone()}
            aria-label="Link to this view" spellcheck="false" ref={field} onfocus={select} />
    }
}

/// The notice.
#[function_component(NoticeBar)]
pub fn notice_bar(p: &NoticeProps) -> Html {
    let n = &p.notice;
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    let offer = match &n.offer {
        Offer::Nothing => html! {},
        Offer::RestoreSaved => html! {
            <button id="restore-saved" onclick={click(&p.on_restore)}>{"Restore last saved state"}</button>
        },
        Offer::UndoCloseB => html! {
            <button id="undo-close" onclick={click(&p.on_undo)} title="Bring B back as it was">{"Undo"}</button>
        },
        Offer::NextSeed(seed) => html! {
            <button id="next-seed" onclick={click(&p.on_next_seed)} title="Every side's seed + 1, and run">{format!("Next seed ({seed})")}</button>
        },
        Offer::CopyByHand(link) => html! { <CopyField link={AttrValue::from(link.clone())} /> },
    };
    html! {
        <div id="notice" class={classes!("notice", n.problem.then_some("problem"))}
            role={if n.problem { "alert" } else { "status" }}>
            <p class="text">{n.text.clone()}</p>
            { offer }
            <button class="small dismiss" onclick={click(&p.on_dismiss)} aria-label="Dismiss" title="Dismiss">{"×"}</button>
        </div>
    }
}
