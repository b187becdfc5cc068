//! Links the `zhengce` executable at a fixed address (not position-independent): a PIE of this
//! size has 41,000 relocations for the loader to apply at every start, about 1.5 ms of each
//! command's time, which a search pays in full.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
