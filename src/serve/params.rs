//! The parameters of `/api/search`: the CLI's `search` options, one line each in [`PARAMS`].

use clap::ValueEnum;

use crate::search::{FacetKind, Sort};

/// Most hits one request returns.
pub const MAX_LIMIT: usize = 100;
/// Deepest page: each hit skipped is still ranked and loaded.
pub const MAX_OFFSET: usize = 1000;
/// Longest query, in characters: a pasted citation or a long OR list fits.
pub const MAX_QUERY_CHARS: usize = 500;

/// What the response holds, as the CLI's output options choose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Output {
    /// One JSON object (`--json`), the default.
    Json,
    /// One JSON object per hit (`--jsonl`).
    Lines,
    /// One citation per line (`--cite`).
    Cite,
}

/// A search as asked over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchParams {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    pub exact: bool,
    pub explain: bool,
    pub output: Output,
    pub count_by: Vec<FacetKind>,
    pub files: bool,
    pub strict: bool,
    pub latest: bool,
    pub as_of: Option<String>,
}

impl Default for SearchParams {
    /// The CLI's defaults.
    fn default() -> Self {
        SearchParams {
            query: String::new(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            exact: false,
            explain: false,
            output: Output::Json,
            count_by: Vec::new(),
            files: false,
            strict: false,
            latest: false,
            as_of: None,
        }
    }
}

type Setter = fn(&mut SearchParams, &str) -> Result<(), String>;

/// Every parameter, named as the CLI's option (`-` and `_` alike): a new CLI option is one
/// more line here (a test checks that none is missing). `--index` and `--synonyms` are
/// `serve`'s own (no client names a file on the server), `--color` is for terminals, and JSON
/// is the default output.
pub const PARAMS: &[(&str, Setter)] = &[
    ("q", |p, v| set(&mut p.query, v.to_string())),
    ("limit", |p, v| set(&mut p.limit, number(v, 1, MAX_LIMIT)?)),
    ("offset", |p, v| {
        set(&mut p.offset, number(v, 0, MAX_OFFSET)?)
    }),
    ("sort", |p, v| set(&mut p.sort, choice(v)?)),
    ("exact", |p, v| set(&mut p.exact, flag(v)?)),
    ("explain", |p, v| set(&mut p.explain, flag(v)?)),
    ("jsonl", |p, v| output(p, v, Output::Lines)),
    ("cite", |p, v| output(p, v, Output::Cite)),
    ("files", |p, v| set(&mut p.files, flag(v)?)),
    ("strict", |p, v| set(&mut p.strict, flag(v)?)),
    ("latest", |p, v| set(&mut p.latest, flag(v)?)),
    ("as_of", |p, v| match crate::search::query::as_of_day(v) {
        Some(_) => set(&mut p.as_of, Some(v.to_string())),
        None => Err(format!("'{v}': write the day as 2019-06-01")),
    }),
    ("count_by", |p, v| {
        let facets = v.split(',').filter(|s| !s.is_empty()).map(choice);
        set(&mut p.count_by, facets.collect::<Result<_, _>>()?)
    }),
];

/// Other names of parameters: the CLI's short options.
const ALIASES: &[(&str, &str)] = &[("n", "limit")];

/// The parameters of a query string, or the message of a 400.
pub fn parse(pairs: impl IntoIterator<Item = (String, String)>) -> Result<SearchParams, String> {
    let mut params = SearchParams::default();
    for (name, value) in pairs {
        let name = name.replace('-', "_");
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name.as_str(), |(_, to)| to);
        let Some((_, setter)) = PARAMS.iter().find(|(n, _)| *n == name) else {
            let known: Vec<&str> = PARAMS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown parameter '{name}' (known: {})",
                known.join(", ")
            ));
        };
        setter(&mut params, &value).map_err(|e| format!("{name}: {e}"))?;
    }
    let chars = params.query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(format!(
            "query too long: {chars} characters, at most {MAX_QUERY_CHARS}"
        ));
    }
    if params.query.trim().is_empty() {
        return Err("missing q, the query".to_string());
    }
    Ok(params)
}

fn set<T>(slot: &mut T, value: T) -> Result<(), String> {
    *slot = value;
    Ok(())
}

fn number(v: &str, min: usize, max: usize) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("'{v}' is not a number from {min} to {max}")),
    }
}

/// A flag: present (`exact`, `exact=`), `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
fn flag(v: &str) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("'{v}' is not true or false")),
    }
}

/// One of an enum's values, by the names the CLI takes.
fn choice<T: ValueEnum>(v: &str) -> Result<T, String> {
    T::from_str(v, true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|x| x.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("'{v}' is not one of {}", names.join(", "))
    })
}

fn output(p: &mut SearchParams, v: &str, which: Output) -> Result<(), String> {
    if flag(v)? {
        p.output = which;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(query: &str) -> Result<SearchParams, String> {
        parse(form_urlencoded::parse(query.as_bytes()).into_owned())
    }

    #[test]
    fn every_cli_search_option_is_a_parameter() {
        use clap::CommandFactory;
        let cli = crate::cli::Cli::command();
        let search = cli.find_subcommand("search").expect("search command");
        // serve's own, or terminal-only.
        let not_over_http = ["index", "synonyms", "json", "color", "help"];
        for arg in search.get_arguments() {
            let name = match arg.get_long() {
                Some(long) => long.replace('-', "_"),
                None => "q".to_string(),
            };
            if not_over_http.contains(&name.as_str()) {
                continue;
            }
            assert!(
                PARAMS.iter().any(|(n, _)| *n == name),
                "`zhengce search --{name}` has no /api/search parameter: add a line to PARAMS in src/serve/params.rs"
            );
        }
    }

    #[test]
    fn parameters_set_the_search() {
        let p = parsed(
            "q=%E6%95%B0%E6%8D%AE&limit=5&offset=10&sort=date&exact&explain=1&count-by=year,issuer",
        )
        .unwrap();
        assert_eq!(p.query, "数据");
        assert_eq!((p.limit, p.offset), (5, 10));
        assert_eq!(p.sort, Sort::Date);
        assert!(p.exact && p.explain);
        assert_eq!(p.count_by, [FacetKind::Year, FacetKind::Issuer]);
        assert_eq!(p.output, Output::Json);
        assert_eq!(parsed("q=a&n=3&cite=true").unwrap().limit, 3);
        assert_eq!(parsed("q=a&cite=true").unwrap().output, Output::Cite);
        assert_eq!(parsed("q=a&jsonl=0").unwrap().output, Output::Json);
    }

    #[test]
    fn bad_parameters_say_what_is_wrong() {
        let err = |q| parsed(q).unwrap_err();
        assert!(err("q=a&limit=0").contains("limit: '0' is not a number from 1 to 100"));
        assert!(err("q=a&limit=1000").contains("from 1 to 100"));
        assert!(err("q=a&offset=-1").contains("offset"));
        assert!(err("q=a&sort=size").contains("not one of relevance, date"));
        assert!(err("q=a&exact=maybe").contains("exact"));
        assert!(err("q=a&index=/etc").contains("unknown parameter 'index'"));
        assert!(err("q=a&count_by=colour").contains("year, issuer, type, doc"));
        assert_eq!(err("limit=3"), "missing q, the query");
        assert_eq!(err("q=%20"), "missing q, the query");
        let long = format!("q={}", "数".repeat(MAX_QUERY_CHARS + 1));
        assert!(err(&long).starts_with("query too long: 501 characters"));
        assert!(parsed(&format!("q={}", "数".repeat(MAX_QUERY_CHARS))).is_ok());
    }
}
