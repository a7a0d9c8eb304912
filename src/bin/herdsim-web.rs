//! The web page's entry point (built by Trunk for wasm32).

#[cfg(target_arch = "wasm32")]
fn main() {
    herdsim::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("herdsim-web is the browser app: build it with `trunk build` (or `make serve`)");
}
