//! Release builds of the browser app leave out the wasm `name` section (function names for
//! debuggers): about a quarter of the gzipped download, and panics still print their message.
//! `SEGMENTA_WASM_NAMES=1` keeps the names, e.g. to see what takes room in the binary.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SEGMENTA_WASM_NAMES");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let keep_names = std::env::var("SEGMENTA_WASM_NAMES").is_ok_and(|v| v == "1");
    if wasm && release && !keep_names {
        println!("cargo::rustc-link-arg-bins=--strip-all");
        // wasm-bindgen reads the features section to know which wasm features the code uses.
        println!("cargo::rustc-link-arg-bins=--keep-section=target_features");
    }
}
