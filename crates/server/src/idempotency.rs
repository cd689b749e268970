//! `Idempotency-Key` on POST requests (as Stripe's API has it): the first request with a key
//! runs and its answer is stored (`db::idempotency`) for 24 hours; a retry with the same key and
//! the same request (method, path, query and body) gets that answer again, with
//! `Idempotent-Replayed: true`, without doing the work twice; the same key with another request
//! is a 422, and while the first is still under way a 409. Keys are per workspace and caller.
//!
//! An answer is kept only when the request was read to its end and did not fail on the server's
//! side (5xx): otherwise the key is given up and a retry runs anew. Without the header, or for
//! a caller who is not signed in, nothing changes.

use std::cell::RefCell;
use std::rc::Rc;
use std::task::Poll;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpResponse, ResponseError, web};
use db::idempotency::{Answer, Claim};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::auth::Auth;
use crate::{ApiError, AppState};

pub const HEADER: &str = "idempotency-key";
const REPLAYED: &str = "idempotent-replayed";
/// The longest key taken (Stripe's limit).
const LONGEST_KEY: usize = 255;

/// The hash of a request's method, path and query, and then its body as it streams; the body
/// itself while the handler reads it.
struct Seen {
    hasher: Sha256,
    body: Option<Payload>,
    /// Whether the body was read to its end.
    whole: bool,
}

/// Body a handler left unread is read here, up to this much, so that its hash is the whole
/// body's (a handler without a body, a clone); beyond it the answer is not kept.
const LEFT_UNREAD: usize = 1 << 20;

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    if req.method() != Method::POST {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    let key = match key.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= LONGEST_KEY) {
        Some(key) => key.to_owned(),
        None => {
            let error = ApiError::invalid("Idempotency-Key", format!("must be 1 to {LONGEST_KEY} visible characters"));
            return Ok(req.into_response(error.error_response()));
        }
    };
    // A caller who is not signed in meets the handler's own 401.
    let Ok(auth) = Auth::extract(req.request()).await else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let (workspace, principal) = (auth.workspace_id, auth.principal());
    let mut hasher = Sha256::new();
    hasher.update(format!("{} {}?{}\n", req.method(), req.path(), req.query_string()));

    let claim = {
        let (principal, key) = (principal.clone(), key.clone());
        state.run(move |db| Ok(db.write(|c| db::idempotency::claim(c, workspace, &principal, &key, db::now()))?)).await
    };
    match claim {
        Err(e) => Ok(req.into_response(e.error_response())),
        Ok(Claim::InProgress) => {
            let error = ApiError::Conflict("a request with this Idempotency-Key is still under way".into());
            Ok(req.into_response(error.error_response()))
        }
        Ok(Claim::Done(answer)) => {
            let mut payload = req.take_payload();
            while let Some(chunk) = payload.next().await {
                hasher.update(chunk?);
            }
            if hex(hasher) != answer.request_hash {
                let error =
                    ApiError::invalid("Idempotency-Key", "was used with another request; send a new key for it");
                return Ok(req.into_response(error.error_response()));
            }
            Ok(req.into_response(replay(&answer)))
        }
        Ok(Claim::New) => {
            let seen = Rc::new(RefCell::new(Seen { hasher, body: Some(req.take_payload()), whole: false }));
            let body = {
                let seen = seen.clone();
                futures_util::stream::poll_fn(move |cx| {
                    let mut seen = seen.borrow_mut();
                    let Some(body) = seen.body.as_mut() else { return Poll::Ready(None) };
                    let polled = body.poll_next_unpin(cx);
                    match &polled {
                        Poll::Ready(Some(Ok(chunk))) => seen.hasher.update(chunk),
                        Poll::Ready(None) => seen.whole = true,
                        _ => {}
                    }
                    polled
                })
            };
            req.set_payload(Payload::Stream { payload: Box::pin(body) });
            let response = next.call(req).await?;
            let (request, response) = response.into_parts();
            let status = response.status();
            let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let (response, body) = response.into_parts();
            let bytes = actix_web::body::to_bytes(body).await.map_err(|e| ApiError::internal(e.into()))?;
            let (mut hasher, mut whole, rest) = {
                let mut seen = seen.borrow_mut();
                (seen.hasher.clone(), seen.whole, seen.body.take())
            };
            if let (false, Some(mut rest)) = (whole, rest) {
                let mut read = 0;
                while read <= LEFT_UNREAD {
                    match rest.next().await {
                        Some(Ok(chunk)) => {
                            read += chunk.len();
                            hasher.update(&chunk);
                        }
                        Some(Err(_)) => break,
                        None => {
                            whole = true;
                            break;
                        }
                    }
                }
            }
            let kept = whole && !status.is_server_error();
            let answer = Answer {
                request_hash: hex(hasher),
                status: status.as_u16(),
                content_type,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            };
            let stored = state
                .run(move |db| {
                    Ok(db.write(|c| {
                        if kept {
                            db::idempotency::complete(c, workspace, &principal, &key, &answer)
                        } else {
                            db::idempotency::release(c, workspace, &principal, &key)
                        }
                    })?)
                })
                .await;
            if let Err(e) = stored {
                tracing::error!(error = %e, "storing an idempotent answer failed");
            }
            Ok(ServiceResponse::new(request, response.set_body(BoxBody::new(bytes))))
        }
    }
}

/// The stored answer, again.
fn replay(answer: &Answer) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(answer.status).unwrap_or_default();
    let mut response = HttpResponse::build(status);
    if let Some(content_type) = &answer.content_type {
        response.insert_header((CONTENT_TYPE, content_type.as_str()));
    }
    response.insert_header((HeaderName::from_static(REPLAYED), HeaderValue::from_static("true")));
    response.body(answer.body.clone())
}

fn hex(hasher: Sha256) -> String {
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
