//! Webhook delivery (docs/webhooks.md): a task that claims due messages from the outbox
//! (`db::webhooks`), sends each signed as Standard Webhooks 1.0 says, on its own so that a
//! slow or dead endpoint holds back no other, and records how it went (retries with backoff,
//! give-up, disabling). Also the secrets, signatures and the address guard the API uses.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{Duration, NaiveDateTime};
use db::webhooks::{DeliveryRow, Outcome, WebhookRow};
use domain::rfm::RfmSegment;
use domain::webhooks::{TIMEOUT_SECS, disable_after, give_up_after, is_public, retry_delay};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tokio::sync::Semaphore;

use crate::AppState;

/// Prefix of a signing secret (Standard Webhooks).
pub const SECRET_PREFIX: &str = "whsec_";
/// Messages in flight at once, over all endpoints.
const IN_FLIGHT: usize = 64;
/// How long a claimed message is this replica's before another may try it.
const LEASE_SECS: i64 = 30;
/// How often the outbox is looked at when it had nothing due.
const POLL: StdDuration = StdDuration::from_millis(250);
/// How long a message of a paused or disabled endpoint waits before it is looked at again.
const HELD_SECS: i64 = 60;

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// `v1,<base64 HMAC-SHA256>` of `{msg_id}.{timestamp}.{body}` with the secret's decoded key.
pub fn signature(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{msg_id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// Why an endpoint URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// Checks an endpoint URL: `http` or `https` with a host; unless `allow_private`, every address
/// the host resolves to must be public. Returns the URL and the addresses to connect to.
pub async fn check_url(text: &str, allow_private: bool) -> Result<(reqwest::Url, Vec<SocketAddr>), Refused> {
    let url = reqwest::Url::parse(text.trim()).map_err(|e| Refused(format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refused("must be an http or https URL".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refused("must not carry credentials".into()));
    }
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| Refused("has no host".into()))?;
    let port = url.port_or_known_default().unwrap_or(443);
    let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|_| Refused(format!("its host {host} cannot be resolved")))?
        .collect();
    if addrs.is_empty() {
        return Err(Refused(format!("its host {host} cannot be resolved")));
    }
    if !allow_private && let Some(private) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(Refused(format!(
            "resolves to {}, a loopback, private or link-local address (SEGMENTA_WEBHOOKS_ALLOW_PRIVATE allows it)",
            private.ip()
        )));
    }
    Ok((url, addrs))
}

/// The delivery task of this process, stopped by [`Deliveries::stop`] (or with the process).
pub struct Deliveries {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Deliveries {
    /// Stops claiming, lets the attempts in flight end, and waits for the thread: what a test
    /// does before it drops its database.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts delivering on a thread of its own (with a small runtime: sending waits on the
/// network, the outbox on the database), until [`Deliveries::stop`] or the process ends.
pub fn spawn_deliveries(state: AppState) -> std::io::Result<Deliveries> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = std::thread::Builder::new().name("webhook-deliveries".into()).spawn(move || {
        match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime.block_on(deliver_until(state, stopped)),
            Err(e) => tracing::error!(error = %e, "cannot start webhook deliveries"),
        }
    })?;
    Ok(Deliveries { stop, thread: Some(thread) })
}

async fn deliver_until(state: AppState, stop: Arc<AtomicBool>) {
    let in_flight = Arc::new(Semaphore::new(IN_FLIGHT));
    while !stop.load(Ordering::Relaxed) {
        let free = in_flight.available_permits() as i64;
        let claimed = if free == 0 {
            Vec::new()
        } else {
            let db = state.db.clone();
            let now = db::now();
            tokio::task::spawn_blocking(move || {
                db.write(|c| db::webhooks::claim_due(c, now, Duration::seconds(LEASE_SECS), free))
            })
            .await
            .unwrap_or_else(|e| Err(db::Error::Migration(e.to_string())))
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "claiming webhook messages failed");
                Vec::new()
            })
        };
        let full = claimed.len() as i64 == free && free > 0;
        for id in claimed {
            let Ok(permit) = in_flight.clone().acquire_owned().await else { return };
            let state = state.clone();
            tokio::spawn(async move {
                if let Err(e) = deliver(&state, id).await {
                    tracing::error!(delivery = id, error = %e, "a webhook delivery could not be recorded");
                }
                drop(permit);
            });
        }
        if !full {
            tokio::time::sleep(POLL).await;
        }
    }
    // the attempts in flight end and record their outcome
    let _ = in_flight.acquire_many(IN_FLIGHT as u32).await;
}

async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&db::Db) -> db::Result<T> + Send + 'static,
) -> db::Result<T> {
    let db = state.db.clone();
    tokio::task::spawn_blocking(move || work(&db)).await.map_err(|e| db::Error::Migration(e.to_string()))?
}

/// One attempt at one message.
async fn deliver(state: &AppState, id: i64) -> db::Result<()> {
    let (delivery, hook) = blocking(state, move |db| db.read(|c| db::webhooks::delivery(c, id))).await?;
    let now = db::now();
    let outcome = if hook.paused || hook.disabled_at.is_some() {
        Outcome::Held { retry_at: now + Duration::seconds(HELD_SECS) }
    } else {
        let body = match delivery.payload.clone() {
            Some(body) => body,
            None => {
                let d = delivery.clone();
                blocking(state, move |db| {
                    db.write(|c| {
                        let body = message_body(c, &d)?;
                        db::webhooks::keep_payload(c, d.id, &body)?;
                        Ok(body)
                    })
                })
                .await?
            }
        };
        attempt(&hook, &delivery, &body, state.config.webhooks_allow_private, now).await
    };
    blocking(state, move |db| db.write(|c| db::webhooks::record_attempt(c, id, db::now(), outcome, disable_after())))
        .await
}

/// The body of a segment message: type, time, segment, users.
fn message_body(conn: &mut db::DbConn, d: &DeliveryRow) -> db::Result<String> {
    let users = db::webhooks::message_users(conn, d)?;
    let segment = d.segment_id.unwrap_or_default();
    let name = match RfmSegment::of_id(segment) {
        Some(rfm) => Some(rfm.name().to_owned()),
        None => db::segments::name(conn, d.workspace_id, segment)?,
    };
    let body = serde_json::json!({
        "type": d.event_type,
        "timestamp": d.created_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        "data": {
            "segment": {"id": segment, "name": name},
            "users": users.iter().map(|u| serde_json::json!({"id": u.user_id, "external_id": u.external_id})).collect::<Vec<_>>(),
        },
    });
    Ok(body.to_string())
}

/// Sends one message, signed; the outcome with its retry time.
async fn attempt(hook: &WebhookRow, d: &DeliveryRow, body: &str, allow_private: bool, now: NaiveDateTime) -> Outcome {
    let failed = |status: Option<i32>, error: String| {
        let attempt = u32::try_from(d.attempts + 1).unwrap_or(u32::MAX);
        let retry_at = now + retry_delay(attempt, rand::random::<f64>());
        let retry_at = (retry_at - d.created_at < give_up_after()).then_some(retry_at);
        Outcome::Failed { status, error, retry_at }
    };
    let (url, addrs) = match check_url(&hook.url, allow_private).await {
        Ok(checked) => checked,
        Err(Refused(why)) => return failed(None, format!("the URL {why}")),
    };
    let timestamp = chrono::Utc::now().timestamp();
    let Some(signature) = signature(&hook.secret, &d.msg_id, timestamp, body) else {
        return failed(None, "the endpoint's secret is not valid".into());
    };
    // connect to the addresses just checked, not to what a second lookup might answer
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
    let client = match reqwest::Client::builder()
        .timeout(StdDuration::from_secs(TIMEOUT_SECS))
        .redirect(reqwest::redirect::Policy::none())
        .resolve_to_addrs(&host, &addrs)
        .build()
    {
        Ok(client) => client,
        Err(e) => return failed(None, format!("no HTTP client: {e}")),
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", concat!("segmenta-webhooks/", env!("CARGO_PKG_VERSION")))
        .header("webhook-id", &d.msg_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body.to_owned())
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => {
            Outcome::Delivered { status: response.status().as_u16().into() }
        }
        Ok(response) => {
            let status = response.status().as_u16();
            failed(Some(status.into()), format!("the endpoint answered {status}"))
        }
        Err(e) if e.is_timeout() => failed(None, format!("no answer within {TIMEOUT_SECS} s")),
        Err(e) => failed(None, format!("could not send: {}", without_url(&e))),
    }
}

/// A reqwest error's message without the URL it names (which may hold a token).
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "the endpoint");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_standard_webhooks() {
        // the example of the Standard Webhooks specification
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("not-a-secret", "m", 1, body), None);
        let fresh = new_secret();
        assert!(
            fresh.starts_with(SECRET_PREFIX) && STANDARD.decode(&fresh[SECRET_PREFIX.len()..]).unwrap().len() >= 24
        );
    }

    #[actix_web::test]
    async fn urls_must_be_http_and_public() {
        for (url, allow) in [
            ("ftp://example.com/x", true),
            ("not a url", true),
            ("https://user:pw@example.com/", true),
            ("http://127.0.0.1:9/hook", false),
            ("http://[::1]/hook", false),
            ("http://169.254.169.254/latest", false),
            ("http://localhost/hook", false),
        ] {
            assert!(check_url(url, allow).await.is_err(), "{url}");
        }
        assert!(check_url("http://127.0.0.1:9/hook", true).await.is_ok());
        assert!(check_url("http://93.184.216.34/hook", false).await.is_ok());
    }
}
