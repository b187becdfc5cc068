//! End-to-end tests of how results are delivered: paging (`--offset`), results by document
//! (`--files`), facet counts (`--count-by`), the footer and `no matches` on a terminal's
//! stderr, and the index named by `ZHENGCE_INDEX`.

mod testenv;
use testenv::TestEnv;

#[test]
fn zhengce_index_names_the_default_index_for_every_command() {
    let env = TestEnv::with_docs("seeds");
    env.write("elsewhere/note.txt", "not an index");
    let index = env.join("shared-index");
    let with_env = |sub: &str, args: &[&str]| {
        testenv::Run::from(
            env.command_in(sub, args)
                .env("ZHENGCE_INDEX", &index)
                .output()
                .unwrap(),
        )
    };
    let indexed = with_env(".", &["index", "docs"]);
    assert!(indexed.success(), "{indexed:?}");
    assert!(index.join("meta.json").is_file());
    assert!(!env.join("index").exists(), "./index was written too");

    // From another folder, every command finds it.
    let found = with_env("elsewhere", &["search", "数据安全"]);
    assert_eq!(found.code(), Some(0), "{found:?}");
    assert!(found.stdout().contains("数据安全法"), "{found:?}");
    let stats = with_env("elsewhere", &["stats", "--json"]);
    assert_eq!(
        stats.json::<serde_json::Value>()["documents"],
        5,
        "{stats:?}"
    );
    let listed = with_env("elsewhere", &["list"]);
    assert_eq!(listed.stdout().lines().count(), 5, "{listed:?}");
    let path = format!("{}:0", env.join("docs/数据安全法(2021-06-10).md").display());
    let shown = with_env("elsewhere", &["show", &path, "-C", "0"]);
    assert!(shown.success(), "{shown:?}");

    // --index wins over it.
    let other = with_env("elsewhere", &["search", "数据安全", "--index", "./nowhere"]);
    assert_eq!(other.code(), Some(2));
    assert!(
        other.stderr().contains("no index at ./nowhere"),
        "{other:?}"
    );

    // Empty, it is unset: ./index.
    let empty = env
        .command_in("elsewhere", &["search", "数据安全"])
        .env("ZHENGCE_INDEX", "")
        .output()
        .unwrap();
    let empty = testenv::Run::from(empty);
    assert!(empty.stderr().contains("no index at ./index"), "{empty:?}");

    let help = env.run(&["search", "--help"]).stdout();
    assert!(help.contains("ZHENGCE_INDEX"), "{help}");
}
