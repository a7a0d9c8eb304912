//! Offline after the first visit: register the service worker (`sw.js`, beside the page,
//! so its scope is the page's folder wherever the built folder is served from). Where
//! the browser offers no service worker (plain HTTP on a LAN address, a private window
//! of some browsers) or refuses this one, the page works as before, without a message.

use wasm_bindgen::JsValue;

/// Register `sw.js` if this browser can; never fails.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    // `navigator.serviceWorker` is missing outside secure contexts: look before calling
    let navigator = window.navigator();
    let available = window.is_secure_context()
        && js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
            .is_ok_and(|v| !v.is_undefined() && !v.is_null());
    if !available {
        return;
    }
    let promise = navigator.service_worker().register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        // a refusal (storage disabled, a file:// page) only means no offline copy
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}
