//! Sign-in throttling (docs/security.md): failed sign-ins are counted per account and per
//! client address; past the allowance of a window the key is blocked for a while, and each
//! further failure doubles the block. While a key is blocked every attempt is refused, a correct
//! password too, so a guesser learns nothing from trying.

use chrono::{Duration, NaiveDateTime};

/// How many failures a key may have, and how it is blocked past them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures allowed within one window; the failure that reaches it blocks the key.
    pub allowed: u32,
    /// The window the failures are counted in.
    pub window: Duration,
    /// The first block; each further failure doubles it...
    pub first_block: Duration,
    /// ...up to this.
    pub longest_block: Duration,
}

impl Policy {
    /// `allowed` failures a minute, then blocks of a minute doubling up to an hour.
    pub fn per_minute(allowed: u32) -> Policy {
        Policy {
            allowed: allowed.max(1),
            window: Duration::minutes(1),
            first_block: Duration::minutes(1),
            longest_block: Duration::hours(1),
        }
    }
}

/// What is kept of a key's recent failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Failures counted since `since` (the window's start, or the latest block's).
    pub count: u32,
    pub since: NaiveDateTime,
    /// Attempts are refused until then.
    pub blocked_until: Option<NaiveDateTime>,
}

impl Failures {
    /// Whether an attempt at `now` is refused, and for how long.
    pub fn refuses(&self, now: NaiveDateTime) -> Option<Duration> {
        self.blocked_until.filter(|&until| until > now).map(|until| until - now)
    }
}

/// The record after a failure at `now`. A window with fewer failures than allowed starts over
/// when it has passed; a key that was blocked keeps its count (so its next block is longer)
/// until the longest block has passed since its latest block.
pub fn after_failure(before: Option<Failures>, now: NaiveDateTime, policy: &Policy) -> Failures {
    let fresh = Failures { count: 0, since: now, blocked_until: None };
    let mut failures = match before {
        Some(f) if f.count >= policy.allowed && now - f.since <= policy.longest_block + policy.window => f,
        Some(f) if f.count < policy.allowed && now - f.since <= policy.window => f,
        _ => fresh,
    };
    failures.count += 1;
    if failures.count >= policy.allowed {
        failures.since = now;
        failures.blocked_until = Some(now + block(failures.count - policy.allowed, policy));
    }
    failures
}

/// The block after `doublings` failures past the allowance.
fn block(doublings: u32, policy: &Policy) -> Duration {
    let factor = 1_i32 << doublings.min(16);
    (policy.first_block * factor).min(policy.longest_block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap().naive_utc()
    }

    #[test]
    fn the_failure_that_reaches_the_allowance_blocks_for_the_first_block() {
        let policy = Policy::per_minute(5);
        let mut f = None;
        for i in 0..4 {
            let next = after_failure(f, at(i), &policy);
            assert_eq!(next.refuses(at(i)), None, "failure {} is allowed", i + 1);
            f = Some(next);
        }
        let fifth = after_failure(f, at(4), &policy);
        assert_eq!(fifth.refuses(at(4)), Some(Duration::minutes(1)));
        assert_eq!(fifth.refuses(at(64)), None, "the block ends after a minute");
    }

    #[test]
    fn each_failure_after_a_block_doubles_the_next_up_to_the_longest() {
        let policy = Policy::per_minute(5);
        let mut f = None;
        let mut now = 0;
        for _ in 0..5 {
            f = Some(after_failure(f, at(now), &policy));
        }
        let mut expected = Duration::minutes(1);
        for _ in 0..10 {
            // the next attempt comes right after the block ends, and fails
            now += f.unwrap().refuses(at(now)).unwrap().num_seconds();
            let next = after_failure(f, at(now), &policy);
            expected = (expected * 2).min(Duration::hours(1));
            assert_eq!(next.refuses(at(now)), Some(expected));
            f = Some(next);
        }
    }

    #[test]
    fn a_window_that_passed_starts_over_and_a_quiet_hour_forgets_a_block() {
        let policy = Policy::per_minute(5);
        let mut f = None;
        for i in 0..4 {
            f = Some(after_failure(f, at(i), &policy));
        }
        let later = after_failure(f, at(61 + 3), &policy);
        assert_eq!((later.count, later.refuses(at(64))), (1, None));

        let mut f = None;
        for i in 0..5 {
            f = Some(after_failure(f, at(i), &policy));
        }
        let much_later = after_failure(f, at(4 + 3600 + 61), &policy);
        assert_eq!((much_later.count, much_later.blocked_until), (1, None));
    }
}
