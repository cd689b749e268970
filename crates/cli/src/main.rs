//! `segmenta`: the one binary. Serves the API and the browser app, migrates the database,
//! imports files, generates demo data and prints the OpenAPI document.

use domain::segment_events::Trigger;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use db::Db;
use db::imports::{Format, ImportMode, ImportReport};
use domain::import::ImportKind;
use indicatif::{ProgressBar, ProgressStyle};

/// Customer segmentation and customer health: RFM, scores, segments, dashboards, REST API.
#[derive(Debug, Parser)]
#[command(name = "segmenta", version, about, long_about = None)]
struct Cli {
    /// Database: a SQLite file path (or sqlite://path) or a postgres:// URL.
    #[arg(long, env = "DATABASE_URL", default_value = "data/segmenta.db", global = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve the API (/api/v1), its docs (/api/docs) and the app (/).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "SEGMENTA_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Load a generated demo workspace when the database has no workspace yet.
        #[arg(long)]
        demo: bool,
        /// Users in the demo workspace (with --demo).
        #[arg(long, default_value_t = 3000)]
        demo_users: usize,
        /// Secret that signs access tokens; replicas must share it. A random one is used when
        /// unset (sessions then renew through their refresh token after a restart).
        #[arg(long, env = "SEGMENTA_JWT_SECRET", hide_env_values = true)]
        jwt_secret: Option<String>,
        /// Allow POST /api/v1/auth/signup to create workspaces.
        #[arg(long, env = "SEGMENTA_SIGNUP", default_value_t = true, action = clap::ArgAction::Set)]
        signup: bool,
        /// Largest import body in MiB (413 beyond).
        #[arg(long, env = "SEGMENTA_IMPORT_LIMIT_MB", default_value_t = 4096)]
        import_limit_mb: usize,
        /// Allow webhook endpoints on loopback, private and link-local addresses (refused by
        /// default, against server-side request forgery).
        #[arg(long, env = "SEGMENTA_WEBHOOKS_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
        webhooks_allow_private: bool,
        /// HTTP event loops (default: one per two cores on SQLite, one per core on PostgreSQL).
        #[arg(long, env = "SEGMENTA_WORKERS")]
        workers: Option<usize>,
        /// Failed sign-ins an account may have a minute before it is refused for a while (a
        /// client address: four times as many).
        #[arg(long, env = "SEGMENTA_SIGN_IN_FAILURES_PER_MINUTE", default_value_t = 5)]
        sign_in_failures_per_minute: u32,
        /// Requests a minute for each operator and API key, counted by each replica; 0: none.
        #[arg(long, env = "SEGMENTA_REQUESTS_PER_MINUTE", default_value_t = 100_000)]
        requests_per_minute: u32,
        /// Take the client address from `Forwarded`/`X-Forwarded-For` (behind a reverse proxy).
        #[arg(long, env = "SEGMENTA_TRUST_FORWARDED", default_value_t = false, action = clap::ArgAction::Set)]
        trust_forwarded: bool,
    },
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Copy the SQLite database, consistently, into a new file while it serves.
    Backup {
        /// The new file.
        file: PathBuf,
    },
    /// Replace the SQLite database with a backup (stop every server of it first).
    Restore {
        /// A file written by `segmenta backup`.
        file: PathBuf,
    },
    /// Import a CSV or JSON file into a workspace, with a progress bar.
    Import {
        /// What the file holds.
        kind: KindArg,
        /// The file (CSV with a header row, or a JSON array when it ends in .json).
        file: PathBuf,
        /// Workspace id (default: the only workspace).
        #[arg(long)]
        workspace: Option<i64>,
        /// Import the good rows and report the bad ones instead of rejecting the file.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Generate a realistic demo workspace and load it (or only write its CSV files).
    Demo {
        /// Number of users (about 10 orders each).
        #[arg(long, default_value_t = 3000)]
        users: usize,
        /// Random seed: the same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Only write companies.csv, users.csv, orders.csv and events.csv into this folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Purchases per buyer from a power law: a few buyers with 10 000 orders and more,
        /// mostly on one weekday and in runs on one day; some zero amounts.
        #[arg(long)]
        heavy_tail: bool,
    },
    /// Print the OpenAPI document (as checked in at openapi/openapi.json).
    Openapi,
    /// Create a workspace with its first admin (when sign-up in the app is switched off).
    CreateWorkspace {
        /// Workspace name.
        #[arg(long)]
        name: String,
        /// Email of the first admin.
        #[arg(long)]
        email: String,
        /// Password of the first admin (at least 8 characters).
        #[arg(long, env = "SEGMENTA_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindArg {
    Users,
    Companies,
    Orders,
    Events,
}

impl From<KindArg> for ImportKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Users => ImportKind::Users,
            KindArg::Companies => ImportKind::Companies,
            KindArg::Orders => ImportKind::Orders,
            KindArg::Events => ImportKind::Events,
        }
    }
}

pub const DEMO_EMAIL: &str = "demo@segmenta.local";
pub const DEMO_PASSWORD: &str = "segmenta-demo";

/// mimalloc: the importer and the list endpoints allocate many small strings per row.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing();
    match cli.command {
        Command::Openapi => {
            print!("{}", server::openapi::document_json());
            Ok(())
        }
        Command::CreateWorkspace { name, email, password } => {
            if password.chars().count() < 8 {
                bail!("the password must be at least 8 characters");
            }
            if !domain::import::is_valid_email(&email) {
                bail!("{email} is not a valid email address");
            }
            let db = Db::open(&cli.database_url).context("opening the database")?;
            let hash = server::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let (id, _) = db.write(|c| {
                db::auth::create_workspace(
                    c,
                    &name,
                    db::auth::NewOperator {
                        workspace_id: 0,
                        email: &email,
                        name: None,
                        password_hash: &hash,
                        role: db::auth::Role::Admin,
                        created_at: db::now(),
                    },
                )
            })?;
            println!("workspace {id} created; its admin signs in as {email}");
            Ok(())
        }
        Command::Migrate => {
            Db::open(&cli.database_url).context("opening the database")?;
            println!("database ready: {}", cli.database_url);
            Ok(())
        }
        Command::Backup { file } => {
            let db = Db::open(&cli.database_url).context("opening the database")?;
            let bytes = db::backup::backup(&db, &file).context("backing up")?;
            println!("backed up {} into {} ({bytes} bytes)", cli.database_url, file.display());
            Ok(())
        }
        Command::Restore { file } => {
            db::backup::restore(&file, &cli.database_url).context("restoring")?;
            // migrates a backup made by an older segmenta
            Db::open(&cli.database_url).context("opening the restored database")?;
            println!("restored {} from {}", cli.database_url, file.display());
            Ok(())
        }
        Command::Import { kind, file, workspace, skip_invalid } => {
            let db = Db::open(&cli.database_url).context("opening the database")?;
            let workspace = pick_workspace(&db, workspace)?;
            let mode = if skip_invalid { ImportMode::SkipInvalid } else { ImportMode::AllOrNothing };
            let started = std::time::Instant::now();
            let report = import_file(&db, workspace, kind.into(), mode, &file, true)?;
            let imported_in = started.elapsed().as_secs_f64();
            print_report(&report);
            if !report.committed {
                bail!("nothing was imported: fix the rows above or use --skip-invalid");
            }
            println!(
                "import: {} rows in {imported_in:.3} s ({:.0} rows/s)",
                report.rows,
                report.rows as f64 / imported_in.max(1e-9)
            );
            let started = std::time::Instant::now();
            engine::refresh::after_data_change(&db, workspace, Trigger::Import(kind.into())).with_context(|| {
                format!(
                    "the {} rows are imported, but the scoring that follows failed (recorded on the \
                     workspace; `segmenta serve` retries it)",
                    report.imported
                )
            })?;
            println!("rescoring and segment refresh: {:.3} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Demo { users, seed, out, heavy_tail } => {
            let config = demo::DemoConfig { users, seed, heavy_tail, ..demo::DemoConfig::new(users) };
            if let Some(dir) = out {
                std::fs::create_dir_all(&dir)?;
                let (_, counts) = demo::write_files(&config, &dir)?;
                println!(
                    "wrote {} companies, {} users, {} orders, {} events to {}",
                    counts.companies,
                    counts.users,
                    counts.orders,
                    counts.events,
                    dir.display()
                );
                return Ok(());
            }
            let db = Db::open(&cli.database_url).context("opening the database")?;
            load_demo(&db, &config)?;
            Ok(())
        }
        Command::Serve {
            addr,
            demo,
            demo_users,
            jwt_secret,
            signup,
            import_limit_mb,
            webhooks_allow_private,
            workers,
            sign_in_failures_per_minute,
            requests_per_minute,
            trust_forwarded,
        } => {
            let db = Db::open(&cli.database_url).context("opening the database")?;
            if demo && db.read(db::auth::workspace_ids)?.is_empty() {
                load_demo(&db, &demo::DemoConfig::new(demo_users))?;
            }
            let jwt_secret = jwt_secret.unwrap_or_else(|| {
                tracing::warn!("SEGMENTA_JWT_SECRET is not set: using a random secret for this process");
                server::auth::random_token()
            });
            let config = server::Config {
                jwt_secret,
                signup_enabled: signup,
                import_limit_bytes: import_limit_mb.saturating_mul(1 << 20),
                webhooks_allow_private,
                sign_in_failures_per_minute,
                requests_per_minute,
                trust_forwarded,
                ..server::Config::default()
            };
            serve(db, config, &addr, workers)
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("SEGMENTA_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[actix_web::main]
async fn serve(db: Db, config: server::Config, addr: &str, workers: Option<usize>) -> anyhow::Result<()> {
    let state = server::AppState::new(db, config);
    // daily segment refresh; safe with several replicas (each segment's refresh is claimed)
    server::schedule::spawn_scheduler(state.clone()).context("starting the segment scheduler")?;
    // the webhook outbox; replicas claim messages, so each is sent by one of them
    server::webhooks::spawn_deliveries(state.clone()).context("starting webhook deliveries")?;
    let (http, _) = server::serve(state, addr, workers).with_context(|| format!("cannot listen on {addr}"))?;
    println!("segmenta is serving on http://{addr}/  (API docs: http://{addr}/api/docs/)");
    http.await?;
    Ok(())
}

fn pick_workspace(db: &Db, requested: Option<i64>) -> anyhow::Result<i64> {
    let ids = db.read(db::auth::workspace_ids)?;
    match requested {
        Some(id) if ids.contains(&id) => Ok(id),
        Some(id) => bail!("there is no workspace {id}"),
        None => match ids.as_slice() {
            [only] => Ok(*only),
            [] => bail!("there is no workspace yet: sign up in the app or run `segmenta demo`"),
            _ => bail!("there are several workspaces ({ids:?}): choose one with --workspace"),
        },
    }
}

fn import_file(
    db: &Db,
    workspace: i64,
    kind: ImportKind,
    mode: ImportMode,
    file: &Path,
    progress: bool,
) -> anyhow::Result<ImportReport> {
    let handle = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let len = handle.metadata()?.len();
    let bar = if progress { ProgressBar::new(len) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{msg:10} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(kind.key());
    let format =
        if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) { Format::Json } else { Format::Csv };
    let reader = bar.wrap_read(BufReader::with_capacity(1 << 20, handle));
    let report = db::imports::run(db, workspace, kind, mode, format, reader).map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    Ok(report)
}

fn print_report(report: &ImportReport) {
    println!(
        "rows: {}  imported: {}  skipped: {}  created references: {}  errors: {}",
        report.rows, report.imported, report.skipped, report.created_references, report.error_count
    );
    for e in report.errors.iter().take(50) {
        match &e.column {
            Some(c) => println!("  row {}, column {c}: {}", e.row, e.message),
            None => println!("  row {}: {}", e.row, e.message),
        }
    }
    if report.error_count > 50 {
        println!("  … and {} more", report.error_count - 50);
    }
}

/// Creates the demo workspace with its admin and loads generated data into it.
fn load_demo(db: &Db, config: &demo::DemoConfig) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (files, counts) = demo::write_files(config, dir.path())?;
    let hash = server::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (workspace, _) = db.write(|c| {
        db::auth::create_workspace(
            c,
            "Demo shop",
            db::auth::NewOperator {
                workspace_id: 0,
                email: DEMO_EMAIL,
                name: Some("Demo admin"),
                password_hash: &hash,
                role: db::auth::Role::Admin,
                created_at: db::now(),
            },
        )
    })?;
    for (kind, path) in [
        (ImportKind::Companies, &files.companies),
        (ImportKind::Users, &files.users),
        (ImportKind::Orders, &files.orders),
        (ImportKind::Events, &files.events),
    ] {
        let report = import_file(db, workspace, kind, ImportMode::AllOrNothing, path, true)?;
        if !report.committed {
            print_report(&report);
            bail!("the demo {} did not import", kind.key());
        }
    }
    engine::refresh::after_data_change(db, workspace, Trigger::Import(ImportKind::Events))?;
    println!(
        "demo workspace loaded: {} companies, {} users, {} orders, {} events",
        counts.companies, counts.users, counts.orders, counts.events
    );
    println!("sign in with {DEMO_EMAIL} / {DEMO_PASSWORD}");
    Ok(())
}
