//! Webhooks (docs/webhooks.md): the event types an endpoint subscribes to, the size of a
//! message, when a failed delivery is tried again and when an endpoint is given up, and which
//! addresses an endpoint may have.

use std::net::IpAddr;

use chrono::Duration;

use crate::segment_events::EventType;

/// What an endpoint can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookEvent {
    SegmentEntered,
    SegmentExited,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 2] = [WebhookEvent::SegmentEntered, WebhookEvent::SegmentExited];

    pub fn key(self) -> &'static str {
        match self {
            WebhookEvent::SegmentEntered => "segment.entered",
            WebhookEvent::SegmentExited => "segment.exited",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL.into_iter().find(|e| e.key() == s)
    }

    /// The webhook event of a segment event.
    pub fn of(kind: EventType) -> WebhookEvent {
        match kind {
            EventType::Entered => WebhookEvent::SegmentEntered,
            EventType::Exited => WebhookEvent::SegmentExited,
        }
    }
}

/// The most users one message carries; a larger change is sent as several messages.
pub const MAX_USERS: usize = 1000;

/// How long a delivery may take before it counts as failed.
pub const TIMEOUT_SECS: u64 = 10;

/// A message still undelivered this long after it was written is given up (failed).
pub fn give_up_after() -> Duration {
    Duration::hours(26)
}

/// An endpoint whose deliveries have all failed for this long is disabled.
pub fn disable_after() -> Duration {
    Duration::days(3)
}

/// The wait before attempt `attempt + 1` after `attempt` failed ones (1, 2, …): 5 s, 30 s,
/// 2 min, 10 min, 30 min, 1 h, 2 h, then every 4 h, each stretched by `jitter` (0 to 1, at
/// most a fifth more) so that many failed messages do not all come back at once.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    const SECONDS: [i64; 7] = [5, 30, 120, 600, 1800, 3600, 7200];
    let base = SECONDS.get(attempt.saturating_sub(1) as usize).copied().unwrap_or(4 * 3600);
    let stretch = 1.0 + jitter.clamp(0.0, 1.0) / 5.0;
    Duration::milliseconds((base as f64 * 1000.0 * stretch) as i64)
}

/// Whether an endpoint may be sent to at this address: not loopback, private, link-local,
/// shared (carrier-grade NAT), unspecified, broadcast, multicast or documentation space (a
/// server-side request forgery guard; `SEGMENTA_WEBHOOKS_ALLOW_PRIVATE` lifts it).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_have_keys() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.key()), Some(e));
        }
        assert_eq!(WebhookEvent::parse("segment.moved"), None);
        assert_eq!(WebhookEvent::of(EventType::Exited), WebhookEvent::SegmentExited);
    }

    #[test]
    fn retries_back_off_for_more_than_a_day() {
        assert_eq!(retry_delay(1, 0.0), Duration::seconds(5));
        assert_eq!(retry_delay(2, 1.0), Duration::seconds(36));
        assert!((1..40).all(|n| retry_delay(n + 1, 0.0) >= retry_delay(n, 0.0)));
        assert_eq!(retry_delay(30, 0.0), Duration::hours(4));
        // the attempts within the first day: every one is tried before the message is given up
        let mut elapsed = Duration::zero();
        let mut attempts = 0;
        while elapsed < Duration::hours(24) {
            attempts += 1;
            elapsed += retry_delay(attempts, 0.5);
        }
        assert!(elapsed < give_up_after() + Duration::hours(5), "{attempts} attempts in {elapsed}");
        assert!(attempts >= 10);
    }

    #[test]
    fn only_public_addresses() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
