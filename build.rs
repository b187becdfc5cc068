//! Links the `zhengce` executable at a fixed address (not position-independent): a PIE of this
//! size has 41,000 relocations for the loader to apply at every start, about 1.5 ms of each
//! command's time, which a search pays in full. On Linux with glibc, `.cargo/config.toml`
//! does more (a static executable, built with `relocation-model=static`); elsewhere this
//! flag alone.

fn main() {
    let static_build = std::env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|f| f == "crt-static"));
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") && !static_build {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
