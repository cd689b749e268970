//! `cargo run --release -p e2e --bin page_timing [-- --runs 7 --demo-users N]`: how long the
//! Users page takes to become interactive on localhost with the demo data (the product's budget:
//! 1 s). Starts `segmenta serve --demo` on a fresh database (the demo size `just serve` gives,
//! unless `--demo-users`), signs in through the sign-in form in headless Chromium, then loads
//! `/users` afresh `--runs` times with the browser cache cleared and `--runs` times warm, and
//! prints a markdown section for BENCHMARKS.md. Progress goes to stderr.
//!
//! Times come from the page's own clock (`performance.now()`, i.e. from navigation start): a
//! script registered before any page script runs (CDP `Page.addScriptToEvaluateOnNewDocument`)
//! watches the DOM and records when the table is ready, so WebDriver round trips do not count.

use std::time::{Duration, Instant};

use e2e::Server;
use e2e::browser::{Driver, browser};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

/// The product's budget for the Users page, in milliseconds.
const BUDGET_MS: f64 = 1000.0;

/// Installed in every new document; on `/users` it records, in `window.__pageTiming`:
/// `wasm` when `WebAssembly.instantiate[Streaming]` resolved (downloaded, compiled,
/// instantiated), `mounted` when the app first put an element into `<body>`, `rows` when the
/// table is ready (see `READY`) and `interactive` one frame and one event-loop turn later.
const WATCH: &str = r#"(() => {
  if (location.pathname !== '/users') return;
  const t = {};
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const orig = WebAssembly[name];
    if (!orig) continue;
    WebAssembly[name] = function (...args) {
      return orig.apply(this, args).then((r) => { t.wasm ??= performance.now(); return r; });
    };
  }
  const ready = () => {
    const link = document.querySelector('[data-testid=user-row] a.user-link[href^="/users/"]');
    const search = document.querySelector('#user-search');
    return link !== null && search !== null && !search.disabled
      && document.querySelector('.table-wrap.is-pending') === null;
  };
  const check = () => {
    if (t.mounted === undefined && document.body
        && [...document.body.children].some((e) => e.tagName !== 'SCRIPT' && e.tagName !== 'NOSCRIPT')) {
      t.mounted = performance.now();
    }
    if (t.rows === undefined && ready()) {
      t.rows = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => {
        t.interactive = performance.now();
        window.__pageTiming = t;
      }, 0));
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})();"#;

/// Reads the record of `WATCH` plus Navigation and Resource Timing, once the page is ready.
const COLLECT: &str = r#"
  const t = window.__pageTiming;
  if (!t) return null;
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const wasm = res.find((e) => e.name.endsWith('/pkg/frontend_bg.wasm'));
  const users = res.filter((e) => e.name.includes('/api/v1/users')).pop();
  return Object.assign({}, t, {
    dcl: nav.domContentLoadedEventEnd,
    wasm_fetched: wasm ? wasm.responseEnd : null,
    wasm_bytes: wasm ? wasm.encodedBodySize : null,
    wasm_transferred: wasm ? wasm.transferSize : null,
    users_api: users ? users.responseEnd : null,
  });
"#;

/// One load of `/users`, in ms from navigation start.
struct Load {
    dcl: f64,
    wasm_fetched: f64,
    wasm: f64,
    mounted: f64,
    users_api: f64,
    rows: f64,
    interactive: f64,
    wasm_bytes: f64,
    wasm_transferred: f64,
}

impl Load {
    fn from_json(v: &Value) -> Load {
        let f = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("no {k} in the page timing: {v}"));
        Load {
            dcl: f("dcl"),
            wasm_fetched: f("wasm_fetched"),
            wasm: f("wasm"),
            mounted: f("mounted"),
            users_api: f("users_api"),
            rows: f("rows"),
            interactive: f("interactive"),
            wasm_bytes: f("wasm_bytes"),
            wasm_transferred: f("wasm_transferred"),
        }
    }
}

struct Args {
    runs: usize,
    demo_users: Option<String>,
}

fn args() -> Args {
    let mut args = Args { runs: 7, demo_users: None };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => args.runs = it.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).expect("--runs N"),
            "--demo-users" => args.demo_users = Some(it.next().expect("--demo-users N")),
            _ => panic!("unknown argument {a}; usage: page_timing [--runs N] [--demo-users N]"),
        }
    }
    args
}

/// A Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`.
async fn cdp(driver: &Driver, session: &str, cmd: &str, params: Value) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}/session/{session}/goog/cdp/execute", driver.url()))
        .json(&json!({ "cmd": cmd, "params": params }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(resp.status().is_success(), "{cmd}: {}", resp.status());
    resp.json().await.unwrap_or(Value::Null)
}

async fn wait_until<F, Fut, T>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn sign_in(client: &Client, server: &Server) {
    client.goto(&server.url("/signin")).await.expect("open sign-in");
    let field = |css: &'static str| async move {
        client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css(css)).await.expect(css)
    };
    field("#email").await.send_keys("demo@segmenta.local").await.expect("type email");
    field("#password").await.send_keys("segmenta-demo").await.expect("type password");
    field("button[type=submit]").await.click().await.expect("submit");
    wait_until("the app shell after signing in", || async {
        let body = client.find(Locator::Css("body")).await.ok()?.text().await.ok()?;
        body.contains("Sign out").then_some(())
    })
    .await;
}

/// One fresh navigation to `/users` (from `about:blank`), timed by `WATCH`.
async fn load_users(client: &Client, server: &Server) -> Load {
    client.goto("about:blank").await.expect("about:blank");
    client.goto(&server.url("/users")).await.expect("open /users");
    let v =
        wait_until("the Users table", || async { client.execute(COLLECT, vec![]).await.ok().filter(|v| !v.is_null()) })
            .await;
    Load::from_json(&v)
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 }
}

fn worst(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::MIN, f64::max)
}

fn row(label: &str, loads: &[Load], pick: fn(&Load) -> f64, budget: bool) -> String {
    let xs: Vec<f64> = loads.iter().map(pick).collect();
    let (m, w) = (median(&xs), worst(&xs));
    let verdict = if !budget {
        String::new()
    } else if w <= BUDGET_MS {
        "1 s: met".to_owned()
    } else if m <= BUDGET_MS {
        "1 s: met by the median, not by the worst".to_owned()
    } else {
        "1 s: **missed**".to_owned()
    };
    format!("| {label} | {m:.0} ms | {w:.0} ms | {verdict} |")
}

fn chromium_version() -> String {
    let bin = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    std::process::Command::new(bin)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "Chromium".into())
}

#[tokio::main]
async fn main() {
    let Args { runs, demo_users } = args();
    eprintln!("page_timing: starting segmenta serve --demo on a fresh database");
    let mut serve_args = vec!["--demo".to_owned()];
    if let Some(n) = &demo_users {
        serve_args.extend(["--demo-users".to_owned(), n.clone()]);
    }
    let server =
        tokio::task::spawn_blocking(move || Server::start(&serve_args.iter().map(String::as_str).collect::<Vec<_>>()))
            .await
            .expect("server");
    let driver = Driver::start();
    let profile = tempfile::tempdir().expect("profile dir");
    let client = browser(&driver, profile.path()).await;
    let session = client.session_id().await.expect("session id").expect("a WebDriver session");

    sign_in(&client, &server).await;
    cdp(&driver, &session, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": WATCH })).await;

    let mut cold = Vec::new();
    for i in 1..=runs {
        cdp(&driver, &session, "Network.clearBrowserCache", json!({})).await;
        let load = load_users(&client, &server).await;
        eprintln!("page_timing: cold {i}/{runs}: interactive at {:.0} ms", load.interactive);
        cold.push(load);
    }
    let mut warm = Vec::new();
    for i in 1..=runs {
        let load = load_users(&client, &server).await;
        eprintln!("page_timing: warm {i}/{runs}: interactive at {:.0} ms", load.interactive);
        warm.push(load);
    }

    // The page really answers: the total it shows, and a click on a row opens that user.
    let total = client.find(Locator::Css(".pager .muted")).await.expect("the pager").text().await.expect("pager text");
    let total = total.split('·').nth(1).map(str::trim).unwrap_or("?").to_owned();
    let link = client.find(Locator::Css("[data-testid=user-row] a.user-link")).await.expect("a row link");
    let href = link.attr("href").await.expect("href").expect("the row link has an href");
    link.click().await.expect("click the first user");
    wait_until("the user's page after a click", || async {
        let path = client.execute("return location.pathname", vec![]).await.ok()?;
        (path.as_str() == Some(href.as_str())).then_some(())
    })
    .await;
    client.close().await.expect("close the browser");

    let kib = |b: f64| b / 1024.0;
    let wasm_kib = kib(cold[0].wasm_bytes);
    let warm_kib = kib(median(&warm.iter().map(|l| l.wasm_transferred).collect::<Vec<_>>()));
    let warm_wasm = if warm_kib > wasm_kib / 2.0 { "downloaded again" } else { "taken from the HTTP cache" };
    let demo = demo_users.map_or_else(
        || "`segmenta serve --demo`, the demo `just serve` gives".into(),
        |n| format!("`segmenta serve --demo --demo-users {n}`"),
    );
    println!("## Users page load on localhost (`cargo run --release -p e2e --bin page_timing`)");
    println!();
    println!(
        "{} headless, against the release binary with the demo data ({demo}: {total}) on a fresh \
         database, signed in through the sign-in form; `/users` is then opened {runs} times with \
         the browser cache cleared first (cold: index.html, the JS glue and the {wasm_kib:.0} KiB \
         wasm are fetched and compiled again; the session is renewed from its cookie) and {runs} \
         times without (warm: the wasm is {warm_wasm}, {warm_kib:.0} KiB transferred). Times \
         are the page's own `performance.now()` from navigation start, recorded \
         by a script installed before any page script runs (no WebDriver round trips). \
         **Interactive** = the first moment the table has a row with its user link, the search \
         box is present and enabled and no reload is pending, plus one rendered frame and one \
         event-loop turn (`requestAnimationFrame` then `setTimeout 0`), i.e. when a click or a \
         keystroke would be handled; after the runs a click on the first row opens that user's \
         page.",
        chromium_version()
    );
    println!();
    println!("| measurement (from navigation start) | median | worst | budget |");
    println!("| --- | ---: | ---: | --- |");
    println!("{}", row("**Users page interactive, cold cache**", &cold, |l| l.interactive, true));
    println!("{}", row("**Users page interactive, warm**", &warm, |l| l.interactive, true));
    println!("{}", row("cold: DOMContentLoaded", &cold, |l| l.dcl, false));
    println!("{}", row("cold: wasm downloaded (`frontend_bg.wasm` responseEnd)", &cold, |l| l.wasm_fetched, false));
    println!("{}", row("cold: wasm compiled and instantiated", &cold, |l| l.wasm, false));
    println!("{}", row("cold: app mounted (first element in `<body>`)", &cold, |l| l.mounted, false));
    println!("{}", row("cold: users list answered (`/api/v1/users` responseEnd)", &cold, |l| l.users_api, false));
    println!("{}", row("cold: first rows in the table", &cold, |l| l.rows, false));
    println!("{}", row("warm: wasm compiled and instantiated", &warm, |l| l.wasm, false));
    println!("{}", row("warm: first rows in the table", &warm, |l| l.rows, false));
}
