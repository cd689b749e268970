//! Webhooks against the real binary: a message written by a membership change survives a
//! SIGKILL of the server before its delivery, and reaches the receiver once it is up and the
//! server is back (docs/webhooks.md).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use api_types::auth::SignupRequest;
use api_types::segments::SegmentInput;
use api_types::webhooks::{WebhookEventType, WebhookInput};
use client::{Client, ImportOrdersQuery};
use e2e::{Server, free_port};
use serde_json::Value;

/// One request as a receiver got it: its headers (lower-cased names) and body.
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

/// A receiver on `port` that answers 204 to every request and passes each on.
fn receiver(port: u16) -> mpsc::Receiver<Received> {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the receiver");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).ok(); // request line
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.trim_end().split_once(':') {
                    headers.push((name.trim().to_lowercase(), value.trim().to_owned()));
                }
            }
            let length: usize =
                headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).ok();
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
            let _ = tx.send(Received { headers, body: String::from_utf8_lossy(&body).into_owned() });
        }
    });
    rx
}

#[test]
fn a_message_survives_a_kill_of_the_server_before_delivery() {
    let mut server = Server::start(&["--webhooks-allow-private", "true"]);
    let anonymous = Client::new(&server.base);
    let tokens = anonymous
        .signup(&SignupRequest {
            workspace_name: "Kill".into(),
            email: "kill@shop.test".into(),
            password: "a-long-password".into(),
            name: None,
        })
        .unwrap();
    let api = anonymous.with_token(tokens.access_token);
    let csv = "order_id,customer_id,ordered_at,amount\no1,a,2026-01-05,150\no2,b,2026-01-06,20\no3,c,2026-01-07,300\n";
    api.import_orders_csv(csv, &ImportOrdersQuery::default()).unwrap();

    // nothing listens on the endpoint's port yet
    let port = free_port();
    let hook = api
        .create_webhook(&WebhookInput {
            url: Some(format!("http://127.0.0.1:{port}/hook")),
            events: Some(vec![WebhookEventType::SegmentEntered]),
            ..WebhookInput::default()
        })
        .unwrap();
    let conditions = serde_json::json!(
        {"match": "all", "conditions": [{"field": "behaviour.revenue_total", "op": "gte", "value": 100}]}
    );
    let input = SegmentInput { name: Some("Big".into()), conditions: Some(conditions), ..SegmentInput::default() };
    api.create_segment(&input).unwrap();

    // the change is committed with its message; the server dies before it is delivered
    server.kill_and_restart();
    let received = receiver(port);
    let message = received.recv_timeout(Duration::from_secs(90)).expect("the message arrives after the restart");
    let header = |name: &str| message.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert!(header("webhook-id").is_some_and(|id| id.starts_with("msg_")));
    assert!(header("webhook-signature").is_some_and(|s| s.starts_with("v1,")));
    let body: Value = serde_json::from_str(&message.body).unwrap();
    assert_eq!(body["type"], "segment.entered");
    let mut users: Vec<&str> =
        body["data"]["users"].as_array().unwrap().iter().map(|u| u["external_id"].as_str().unwrap()).collect();
    users.sort_unstable();
    assert_eq!(users, ["a", "c"]);

    let deliveries =
        api.list_webhook_deliveries(hook.webhook.id, &client::ListWebhookDeliveriesQuery::default()).unwrap();
    assert_eq!(deliveries.items.len(), 1, "one message, delivered once");
    assert!(received.recv_timeout(Duration::from_secs(2)).is_err(), "not sent twice");
}
