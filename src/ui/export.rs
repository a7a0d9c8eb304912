//! Downloads: a file made in the page handed to the browser (no server involved).

use wasm_bindgen::JsCast;

/// Offer `data` as a download named `name`.
pub fn download(name: &str, mime: &str, data: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&data.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let r = click(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

/// Offer a `data:` URL (a canvas PNG) as a download.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    click(name, url)
}

fn click(name: &str, url: &str) -> Result<(), String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor".to_string())?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}
