//! Browser tests: Debian's headless Chromium, driven through chromedriver (WebDriver), against a
//! real `segmenta serve --demo` with a fresh database. Screenshots of each page are written to
//! `target/e2e-screenshots/`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use api_types::auth::LoginRequest;
use api_types::segments::PreviewRequest;
use client::{ExportUsersCsvQuery, ListSegmentsQuery};
use e2e::Server;
use e2e::browser::{Driver, browser};
use fantoccini::{Client, Locator};
use serde_json::json;

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

async fn wait_css(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
}

/// Waits until the page text contains `needle`.
async fn wait_text(client: &Client, needle: &str) {
    let start = Instant::now();
    loop {
        let body = client.find(Locator::Css("body")).await.expect("body").text().await.unwrap_or_default();
        if body.contains(needle) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "page never showed {needle:?}; it shows:\n{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_in(client: &Client, server: &Server) {
    client.goto(&server.url("/signin")).await.expect("open sign-in");
    wait_css(client, "#email").await.send_keys("demo@segmenta.local").await.expect("type email");
    wait_css(client, "#password").await.send_keys("segmenta-demo").await.expect("type password");
    shot(client, "01-sign-in").await;
    wait_css(client, "button[type=submit]").await.click().await.expect("submit");
    wait_text(client, "Sign out").await; // the app shell: signed in
}

/// The demo operator on the Rust client (`crates/client`).
fn api_client(base: &str) -> client::Client {
    let anonymous = client::Client::new(base);
    let tokens = anonymous
        .login(&LoginRequest { email: "demo@segmenta.local".into(), password: "segmenta-demo".into() })
        .expect("sign in over the API");
    anonymous.with_token(tokens.access_token)
}

/// Runs a call of the (blocking) Rust client off the async runtime.
async fn rest<T: Send + 'static>(api: &client::Client, call: impl FnOnce(&client::Client) -> T + Send + 'static) -> T {
    let api = api.clone();
    tokio::task::spawn_blocking(move || call(&api)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_users_search_and_user_page() {
    let server = tokio::task::spawn_blocking(|| Server::start(&["--demo", "--demo-users", "400"])).await.unwrap();
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;

    sign_in(&client, &server).await;
    client.goto(&server.url("/users")).await.unwrap();
    wait_css(&client, "#user-search").await;
    wait_css(&client, "table tbody tr").await;
    // RFM symbols are shown next to users (the demo data populates all eight segments)
    let table = wait_css(&client, "table").await.text().await.unwrap();
    let symbols = ["♥", "☻", "☺", "⊕", "‼", "☹", "☾", "⊖"];
    assert!(symbols.iter().any(|s| table.contains(s)), "no RFM symbol in the users table:\n{table}");
    shot(&client, "02-users").await;

    // search finds a user by external id
    let search = wait_css(&client, "#user-search").await;
    search.send_keys("U000007").await.unwrap();
    // U000007 is on the first page anyway: wait until the search result replaced the list
    wait_until("the search result", || async {
        let Ok(rows) = client.find_all(Locator::Css("table tbody tr")).await else { return false };
        let mut texts = Vec::new();
        for row in &rows {
            match row.text().await {
                Ok(t) => texts.push(t),
                Err(_) => return false, // re-rendered meanwhile
            }
        }
        !texts.is_empty() && texts.iter().all(|t| t.contains("U000007"))
    })
    .await;
    shot(&client, "03-users-search").await;

    // the user's 360 page (retry: the list may re-render under the click)
    wait_until("the user page", || async {
        match client.find(Locator::Css("table tbody tr a")).await {
            Ok(link) => link.click().await.is_ok(),
            Err(_) => false,
        }
    })
    .await;
    wait_text(&client, "Orders").await;
    // the demo's users entered their RFM segment when it was loaded
    wait_css(&client, "[data-testid=segment-timeline]").await;
    shot(&client, "04-user-360").await;

    client.close().await.unwrap();
}

async fn select_value(select: &fantoccini::elements::Element, value: &str) {
    select.select_by_value(value).await.unwrap_or_else(|e| panic!("option {value}: {e}"));
}

/// Rows of the segments table whose text contains `name`.
async fn segment_rows(client: &Client, name: &str) -> Vec<fantoccini::elements::Element> {
    let mut out = Vec::new();
    for row in client.find_all(Locator::Css("[data-testid=segment-row]")).await.unwrap() {
        if row.text().await.unwrap_or_default().contains(name) {
            out.push(row);
        }
    }
    out
}

/// Clicks the button `testid` in the segments-table row of `name`, retrying while the table
/// re-renders under the click.
async fn click_in_row(client: &Client, name: &str, testid: &str) {
    wait_until(testid, || async {
        for row in segment_rows(client, name).await {
            if let Ok(button) = row.find(Locator::Css(&format!("[data-testid={testid}]"))).await {
                return button.click().await.is_ok();
            }
        }
        false
    })
    .await;
}

async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn segment_builder_lifecycle_active_segment_export_and_transitions() {
    let server = tokio::task::spawn_blocking(|| Server::start(&["--demo", "--demo-users", "400"])).await.unwrap();
    let base = server.base.clone();
    let api = {
        let base = base.clone();
        tokio::task::spawn_blocking(move || api_client(&base)).await.unwrap()
    };
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;
    sign_in(&client, &server).await;

    // Build: two conditions in an `any` group.
    client.goto(&server.url("/segments/new")).await.unwrap();
    let name = "E2E best customers";
    wait_css(&client, "[data-testid=segment-name-input]").await.send_keys(name).await.unwrap();
    select_value(&wait_css(&client, "[data-testid=match-toggle]").await, "any").await;
    while client.find_all(Locator::Css("[data-testid=condition-row]")).await.unwrap().len() < 2 {
        wait_css(&client, "[data-testid=add-condition]").await.click().await.unwrap();
    }
    let rows = client.find_all(Locator::Css("[data-testid=condition-row]")).await.unwrap();
    for (row, segment) in rows.iter().zip(["champion", "loyalist"]) {
        let field = row.find(Locator::Css("[data-testid=cond-field]")).await.unwrap();
        select_value(&field, "rfm.segment").await;
        let op = row.find(Locator::Css("[data-testid=cond-op]")).await.unwrap();
        select_value(&op, "eq").await;
        let value = row.find(Locator::Css("[data-testid=cond-value]")).await.unwrap();
        select_value(&value, segment).await;
    }
    let tree = json!({"match": "any", "conditions": [
        {"field": "rfm.segment", "op": "eq", "value": "champion"},
        {"field": "rfm.segment", "op": "eq", "value": "loyalist"}
    ]});
    let preview = rest(&api, |api| api.preview_segment(&PreviewRequest { conditions: tree })).await.expect("preview");
    let expected = preview.size;
    assert!(expected > 0, "the demo has champions or loyalists: {preview:?}");
    wait_until("the live count", || async {
        match client.find(Locator::Css("[data-testid=live-count]")).await {
            Ok(el) => el.attr("data-count").await.ok().flatten().and_then(|c| c.parse::<i64>().ok()) == Some(expected),
            Err(_) => false,
        }
    })
    .await;
    shot(&client, "05-segment-builder").await;
    wait_css(&client, "[data-testid=save-segment]").await.click().await.unwrap();

    // Saved: its size equals the API's count.
    let start = Instant::now();
    let saved = loop {
        let list = rest(&api, |api| api.list_segments(&ListSegmentsQuery { q: Some("E2E".into()) })).await.unwrap();
        if let Some(s) = list.items.into_iter().find(|s| s.name == name) {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the segment was not saved");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let id = saved.id;
    let segment = rest(&api, move |api| api.get_segment(id)).await.unwrap();
    assert_eq!(segment.size, expected, "{segment:?}");

    // Its page shows its activity: the size per day and who entered (all of them, on save).
    client.goto(&server.url(&format!("/segments/{id}/edit"))).await.unwrap();
    wait_css(&client, "[data-testid=segment-history-chart]").await;
    let entries = client.find_all(Locator::Css("[data-testid=segment-event]")).await.unwrap();
    let listed = entries.len() as i64;
    assert!(listed >= expected.min(10) && listed <= 10, "the latest entries are listed: {listed}");
    assert!(entries[0].text().await.unwrap().contains("Entered"));
    shot(&client, "05b-segment-activity").await;

    // Clone, then delete the copy, on the Segments page.
    client.goto(&server.url("/segments")).await.unwrap();
    wait_css(&client, "[data-testid=segment-row]").await;
    click_in_row(&client, name, "segment-clone").await;
    wait_text(&client, &format!("Copy of {name}")).await;
    shot(&client, "06-segments").await;
    click_in_row(&client, &format!("Copy of {name}"), "segment-delete").await;
    wait_css(&client, "[data-testid=segment-delete-confirm]").await.click().await.unwrap();
    wait_until("the copy to disappear", || async { segment_rows(&client, "Copy of").await.is_empty() }).await;

    // Active segment: the dashboard's numbers change.
    client.goto(&server.url("/dashboard")).await.unwrap();
    wait_css(&client, "#dashboard-panel").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before = wait_css(&client, "#dashboard-panel").await.text().await.unwrap();
    shot(&client, "07-dashboard").await;
    select_value(&wait_css(&client, "[data-testid=active-segment-picker]").await, &id.to_string()).await;
    wait_until("the dashboard to change", || async {
        let now = client.find(Locator::Css("#dashboard-panel")).await.unwrap().text().await.unwrap_or_default();
        now != before && !now.is_empty()
    })
    .await;
    shot(&client, "08-dashboard-active-segment").await;
    // the picker sets the signed-in operator's active segment (the same account as `api`)
    let me = rest(&api, |api| api.get_me()).await.unwrap();
    assert_eq!(me.active_segment_id, Some(id));

    // Export of the segment's users: a CSV with one row per member.
    let query = ExportUsersCsvQuery { segment: Some(id.to_string()), ..ExportUsersCsvQuery::default() };
    let csv = rest(&api, move |api| api.export_users_csv(&query)).await.unwrap();
    let members = csv.lines().count() - 1;
    assert!(members as i64 >= expected, "export lists every member ({members} < {expected})");
    client.goto(&server.url("/segments")).await.unwrap();
    wait_css(&client, "[data-testid=segment-row]").await;
    click_in_row(&client, name, "segment-export-users").await;
    let downloads = profile.path().join("downloads");
    wait_until("the CSV download", || {
        let downloads = downloads.clone();
        async move {
            std::fs::read_dir(&downloads).ok().is_some_and(|d| {
                d.flatten().any(|f| {
                    let p = f.path();
                    p.extension().is_some_and(|e| e == "csv")
                        && std::fs::read_to_string(&p).is_ok_and(|t| t.lines().count() == members + 1)
                })
            })
        }
    })
    .await;

    // The transition matrix renders on the RFM tab.
    client.goto(&server.url("/dashboard")).await.unwrap();
    wait_css(&client, "[data-testid=tab-rfm]").await.click().await.unwrap();
    let matrix = wait_css(&client, "[data-testid=transition-matrix]").await;
    let text = matrix.text().await.unwrap();
    assert!(text.contains("Champion") || text.contains("champion"), "{text}");
    shot(&client, "09-rfm-transitions").await;

    // leave the operator without an active segment for other runs
    rest(&api, |api| api.unset_active_segment()).await.unwrap();
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_are_added_in_settings_with_their_secret_shown_once() {
    let server = tokio::task::spawn_blocking(|| Server::start(&["--demo", "--demo-users", "100"])).await.unwrap();
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;
    sign_in(&client, &server).await;
    client.goto(&server.url("/settings#webhooks")).await.unwrap();
    // a public address given as such: accepted without a lookup
    wait_css(&client, "[data-testid=webhook-url]")
        .await
        .send_keys("http://93.184.216.34/hooks/segmenta")
        .await
        .unwrap();
    // for two segments: Champion and At Risk (the RFM segments come first)
    wait_css(&client, "[data-testid=webhook-segment]").await;
    let choices = client.find_all(Locator::Css("[data-testid=webhook-segment]")).await.unwrap();
    assert!(choices.len() >= 8, "the eight RFM segments and the custom ones: {}", choices.len());
    choices[0].click().await.unwrap();
    choices[5].click().await.unwrap();
    wait_css(&client, "[data-testid=webhook-create]").await.click().await.unwrap();
    let secret = wait_css(&client, "[data-testid=webhook-secret]").await;
    let value = secret.prop("value").await.unwrap().unwrap_or_default();
    assert!(value.starts_with("whsec_"), "{value}");
    let row = wait_css(&client, "[data-testid=webhook-row]").await.text().await.unwrap();
    assert!(row.contains("93.184.216.34") && row.contains("Active") && row.contains("2 segments"), "{row}");
    let api = {
        let base = server.base.clone();
        tokio::task::spawn_blocking(move || api_client(&base)).await.unwrap()
    };
    let hooks = rest(&api, |api| api.list_webhooks()).await.unwrap();
    let mut chosen = hooks.items[0].segment_ids.clone().expect("segments chosen");
    chosen.sort();
    assert_eq!(chosen, [-6, -1], "Champion and At Risk");
    shot(&client, "10-webhooks").await;
    // a private address is refused, the field named
    let url = wait_css(&client, "[data-testid=webhook-url]").await;
    url.send_keys("http://10.0.0.5/hook").await.unwrap();
    wait_css(&client, "[data-testid=webhook-create]").await.click().await.unwrap();
    wait_text(&client, "private").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_forms_save_and_say_what_they_refuse() {
    let server = tokio::task::spawn_blocking(|| Server::start(&["--demo", "--demo-users", "100"])).await.unwrap();
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;
    sign_in(&client, &server).await;
    client.goto(&server.url("/settings")).await.unwrap();
    // a refusal that no field shows beside itself goes to the form's alert
    wait_css(&client, "[data-testid=rfm-method-fixed]").await.click().await.unwrap();
    wait_css(&client, "[data-testid=threshold-recency-5]").await.clear().await.unwrap();
    wait_css(&client, "[data-testid=settings-save]").await.click().await.unwrap();
    let alert = wait_css(&client, "form [role=alert]").await.text().await.unwrap();
    assert!(alert.contains("every threshold must be a number"), "{alert}");
    // saved as it was: the notice says so
    wait_css(&client, "[data-testid=rfm-method-ranked]").await.click().await.unwrap();
    wait_css(&client, "[data-testid=settings-save]").await.click().await.unwrap();
    wait_text(&client, "Saved. Users are rescored with the new settings.").await;
    // the scores form saves the same way
    wait_css(&client, "[data-testid=scores-save]").await.click().await.unwrap();
    wait_text(&client, "Saved. Users are rescored with the new factors.").await;
    shot(&client, "11-settings-saved").await;
    client.close().await.unwrap();
}
