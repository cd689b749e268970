//! segmenta's HTTP server: the actix-web app factory, one thin handler module per resource,
//! the auth extractor, OpenAPI assembly and the embedded SPA.

pub mod auth;
pub mod body;
pub mod csv_stream;
pub mod error;
pub mod idempotency;
pub mod jobs;
pub mod limits;
pub mod openapi;
pub mod params;
pub mod routes;
pub mod schedule;
pub mod spa;
pub mod views;
pub mod webhooks;

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use utoipa_actix_web::AppExt;

pub use error::{ApiError, ApiResult};

/// Server settings, read from the environment by the CLI.
#[derive(Debug, Clone)]
pub struct Config {
    /// HMAC secret for access tokens. Several replicas must share it.
    pub jwt_secret: String,
    /// Lifetime of an access token.
    pub access_ttl_secs: i64,
    /// Lifetime of a refresh token.
    pub refresh_ttl_secs: i64,
    /// Whether `POST /auth/signup` may create workspaces.
    pub signup_enabled: bool,
    /// Largest accepted import body in bytes (413 beyond).
    pub import_limit_bytes: usize,
    /// Whether webhook endpoints may be on loopback, private or link-local addresses
    /// (`SEGMENTA_WEBHOOKS_ALLOW_PRIVATE`; off: a server-side request forgery guard).
    pub webhooks_allow_private: bool,
    /// Failed sign-ins an account may have a minute before it is refused for a while (a
    /// client address may have four times as many); see `domain::sign_in`.
    pub sign_in_failures_per_minute: u32,
    /// Requests a minute for each operator and API key, per replica; 0: no budgets. The default
    /// (100 000) only stops a runaway script; a public deployment sets its own.
    pub requests_per_minute: u32,
    /// Whether the client address of a request is the one a reverse proxy states
    /// (`Forwarded`, `X-Forwarded-For`) instead of the connection's peer.
    pub trust_forwarded: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            jwt_secret: "segmenta-development-secret-change-me".into(),
            access_ttl_secs: 15 * 60,
            refresh_ttl_secs: 30 * 24 * 3600,
            signup_enabled: true,
            import_limit_bytes: 4 << 30,
            webhooks_allow_private: false,
            sign_in_failures_per_minute: 5,
            requests_per_minute: 100_000,
            trust_forwarded: false,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub config: Arc<Config>,
    /// Operators as recently read, for authentication (see [`auth::Operators`]).
    pub operators: Arc<auth::Operators>,
    /// Every caller's request budget on this replica.
    pub budgets: Arc<limits::Budgets>,
}

impl AppState {
    pub fn new(db: db::Db, config: Config) -> AppState {
        let budgets = Arc::new(limits::Budgets::per_minute(config.requests_per_minute));
        AppState { db, config: Arc::new(config), operators: Arc::default(), budgets }
    }

    /// Runs a request's blocking database work on its worker's few threads (see [`serve`]).
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&db::Db) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || f(&db)).await?
    }

    /// Runs long blocking work (an import, the rescoring after it) on a thread of its own, so
    /// that it does not hold one of a worker's request threads for its whole length.
    pub async fn run_long<T, F>(&self, what: &str, f: F) -> ApiResult<T>
    where
        F: FnOnce(&db::Db) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.spawn_long(what, move |db| {
            let _ = tx.send(f(db));
        })?;
        rx.await.map_err(|_| ApiError::internal(format!("the {what} thread ended without a result")))?
    }

    /// Starts long blocking work (a streamed export) on a thread of its own, without waiting
    /// for it.
    pub fn spawn_long(&self, what: &str, f: impl FnOnce(&db::Db) + Send + 'static) -> ApiResult<()> {
        let db = self.db.clone();
        std::thread::Builder::new()
            .name(what.to_owned())
            .spawn(move || f(&db))
            .map(drop)
            .map_err(|e| ApiError::internal(format!("starting the {what} thread: {e}")))
    }
}

/// Serves [`app`] on `addr` with `workers` event loops, each with a few threads for the
/// requests' blocking work (every database call runs on one; long work has threads of its
/// own, see [`AppState::run_long`]). Returns the server, to be awaited, and the addresses it
/// listens on.
///
/// On SQLite, whose queries run in this process, the requests' threads together number one
/// more than the cores (one can wait on the disk while the others compute; at most the
/// pool's connections), and there is one
/// event loop per two cores by default: more threads would only take turns on the cores,
/// which lengthens the slowest requests. Measured on the Users list at 64 connections on 2
/// cores, at much the same throughput: p99 17–18 ms with one event loop and three threads;
/// 20–25 ms with two event loops of two threads; 45–50 ms with two of four. On PostgreSQL,
/// whose queries run in its own processes, one event loop per core, each with as many
/// threads as its share of the connection pool.
pub fn serve(
    state: AppState,
    addr: impl std::net::ToSocketAddrs,
    workers: Option<usize>,
) -> std::io::Result<(actix_web::dev::Server, Vec<std::net::SocketAddr>)> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let connections = usize::try_from(state.db.pool_size()).unwrap_or(usize::MAX);
    let (workers, threads) = if state.db.url().is_sqlite() {
        let workers = workers.unwrap_or(cores / 2).max(1);
        (workers, (cores + 1).div_ceil(workers).min(connections / workers).max(2))
    } else {
        let workers = workers.unwrap_or(cores).max(1);
        (workers, (connections / workers).max(2))
    };
    let http = actix_web::HttpServer::new(move || app(state.clone()))
        .workers(workers)
        .worker_max_blocking_threads(threads)
        .bind(addr)?;
    let addrs = http.addrs();
    Ok((http.run(), addrs))
}

/// The whole application: API under `/api/v1`, docs at `/api/docs`, SPA at `/`.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    // The docs go first: once the `/api/v1` scope matches a path, nothing after it is tried.
    App::new()
        .service(openapi::docs(openapi::document()))
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(
            utoipa_actix_web::scope("/api/v1")
                .wrap(actix_web::middleware::from_fn(idempotency::middleware))
                .wrap(actix_web::middleware::from_fn(limits::headers))
                .configure(routes::configure),
        )
        .into_app()
        .app_data(web::Data::new(state))
        .app_data(routes::query_config())
        .app_data(routes::path_config())
        // gzip/brotli/zstd for clients that ask (the SPA's wasm: 1.5 MB, 0.6 MB gzipped).
        .wrap(actix_web::middleware::Compress::default())
        // every answer: no content sniffing, no referrer to other sites (the app's pages add
        // their content security policy, see `spa.rs`)
        .wrap(
            actix_web::middleware::DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "same-origin")),
        )
        .wrap(tracing_actix_web::TracingLogger::default())
        .route("/healthz", web::get().to(routes::health::healthz))
        .route("/readyz", web::get().to(routes::health::readyz))
        .default_service(web::to(spa::serve))
}
