//! Release builds of the browser app leave out the wasm `name` section (function names for
//! debuggers): about a quarter of the gzipped download, and panics still print their message.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if wasm && release {
        println!("cargo::rustc-link-arg-bins=--strip-all");
    }
}
