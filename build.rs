//! Links the `zhengce` executable at a fixed address (not position-independent): a PIE of this
//! size has 41,000 relocations for the loader to apply at every start, about 1.5 ms of each
//! command's time, which a search pays in full. On Linux with glibc, `.cargo/config.toml`
//! does more (a static executable, built with `relocation-model=static`); elsewhere this
//! flag alone.
//!
//! Where the linker is Rust's own lld (x86_64 Linux with glibc), the functions a search runs
//! are laid out together, in the order `symbol-order.txt` gives (`scripts/symbol-order.sh`
//! writes it): a typical query then faults 42 pages of code in, not 111.

fn main() {
    let target = |key: &str| std::env::var(format!("CARGO_CFG_TARGET_{key}")).unwrap_or_default();
    let static_build = target("FEATURE").split(',').any(|f| f == "crt-static");
    if target("OS") == "linux" && !static_build {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let own_linker = !std::env::var("CARGO_ENCODED_RUSTFLAGS")
        .unwrap_or_default()
        .contains("link");
    if target("OS") == "linux" && target("ENV") == "gnu" && target("ARCH") == "x86_64" && own_linker
    {
        let order = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("symbol-order.txt");
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        // Names the build no longer has (another compiler, a changed dependency) are skipped.
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        println!("cargo:rerun-if-changed=symbol-order.txt");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
