//! Request budgets (docs/security.md): every operator and API key may make `per_minute`
//! requests a minute, in bursts of up to that many, refilled evenly (GCRA, by `governor`).
//! Each replica counts on its own: behind N replicas a caller gets at most N × the budget.
//! Answers to an authenticated request carry the budget as the IETF httpapi-ratelimit-headers
//! draft writes it, `RateLimit-Policy: "default";q=1200;w=60` and
//! `RateLimit: "default";r=1187;t=1`; past the budget the answer is a 429 with `Retry-After`.

use std::num::NonZeroU32;
use std::time::Duration;

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// Who spends a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    Operator(i64),
    ApiKey(i64),
}

/// A caller's budget after a request, as the headers state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests a minute.
    pub quota: u32,
    /// Requests left now.
    pub remaining: u32,
    /// Seconds until the whole quota is available again.
    pub reset: u64,
}

/// What spending one request of a budget gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spent {
    /// No budgets on this server.
    Unlimited,
    Within(Budget),
    /// Refused: the budget, and how long until one request is allowed again.
    Over(Budget, Duration),
}

type Limiter = RateLimiter<Caller, DefaultKeyedStateStore<Caller>, DefaultClock, StateInformationMiddleware>;

/// Every caller's budget on this replica.
pub struct Budgets {
    limiter: Option<(Limiter, u32)>,
    clock: DefaultClock,
}

impl Budgets {
    /// `per_minute` requests a minute for each caller; 0 switches budgets off.
    pub fn per_minute(per_minute: u32) -> Budgets {
        let limiter = NonZeroU32::new(per_minute).map(|quota| {
            (RateLimiter::keyed(Quota::per_minute(quota)).with_middleware::<StateInformationMiddleware>(), per_minute)
        });
        Budgets { limiter, clock: DefaultClock::default() }
    }

    /// Spends one request of `caller`'s budget.
    pub fn spend(&self, caller: Caller) -> Spent {
        let Some((limiter, quota)) = &self.limiter else { return Spent::Unlimited };
        let quota = *quota;
        // each request refills this long after it was spent
        let refill = Duration::from_secs(60) / quota;
        match limiter.check_key(&caller) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                let reset = refill * (quota - remaining);
                Spent::Within(Budget { quota, remaining, reset: whole_seconds(reset) })
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Spent::Over(Budget { quota, remaining: 0, reset: whole_seconds(refill * quota) }, wait)
            }
        }
    }
}

/// Seconds, rounded up.
fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl Budget {
    /// The `RateLimit-Policy` and `RateLimit` headers.
    pub fn headers(&self) -> [(HeaderName, String); 2] {
        [
            (HeaderName::from_static("ratelimit-policy"), format!("\"default\";q={};w=60", self.quota)),
            (HeaderName::from_static("ratelimit"), format!("\"default\";r={};t={}", self.remaining, self.reset)),
        ]
    }
}

/// Adds the caller's budget (left in the request's extensions by the `Auth` extractor) to the
/// answer, a refusal included.
pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut res = next.call(req).await?;
    let budget = res.request().extensions().get::<Budget>().copied();
    if let Some(budget) = budget {
        for (name, value) in budget.headers() {
            if let Ok(value) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(name, value);
            }
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_counts_down_then_refuses_until_a_request_is_refilled() {
        let budgets = Budgets::per_minute(3);
        let caller = Caller::ApiKey(1);
        let remaining: Vec<u32> = (0..3)
            .map(|_| match budgets.spend(caller) {
                Spent::Within(b) => b.remaining,
                other => panic!("within the budget: {other:?}"),
            })
            .collect();
        assert_eq!(remaining, [2, 1, 0]);
        match budgets.spend(caller) {
            Spent::Over(budget, wait) => {
                assert_eq!((budget.quota, budget.remaining), (3, 0));
                assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20), "{wait:?}");
            }
            other => panic!("over the budget: {other:?}"),
        }
        // another caller has a budget of its own
        assert!(matches!(budgets.spend(Caller::Operator(1)), Spent::Within(Budget { remaining: 2, .. })));
        assert_eq!(Budgets::per_minute(0).spend(caller), Spent::Unlimited);
    }

    #[test]
    fn the_headers_follow_the_draft() {
        let [(policy, p), (limit, l)] = Budget { quota: 1200, remaining: 1187, reset: 1 }.headers();
        assert_eq!((policy.as_str(), p.as_str()), ("ratelimit-policy", "\"default\";q=1200;w=60"));
        assert_eq!((limit.as_str(), l.as_str()), ("ratelimit", "\"default\";r=1187;t=1"));
    }
}
