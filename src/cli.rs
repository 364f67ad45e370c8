//! Command-line parsing and the commands.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use somu_domain::org::{parse_people_csv, NewOrg, PersonDraft, PersonField, PersonInput};
use somu_store::{Store, StoreOptions};
use somu_web::config::{Config, Secret};
use somu_web::AppState;

/// Somu, the social media university.
#[derive(Parser, Debug)]
#[command(name = "somu", version, about)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
struct Global {
    /// Configuration file (TOML). `SOMU_*` environment variables override it.
    #[arg(long, global = true, env = "SOMU_CONFIG")]
    config: Option<String>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, global = true)]
    database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Run Somu with a freshly populated demo organisation (SQLite file somu-demo.db by default).
    Demo {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Keep an existing demo database instead of rebuilding it.
        #[arg(long)]
        keep: bool,
        /// Build the demo data and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Write a consistent copy of the SQLite database (PostgreSQL: use pg_dump).
    Backup {
        /// Destination file.
        dest: String,
    },
    /// Organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Pull the public posts of an organisation's linked Mastodon and Bluesky accounts now.
    Pull {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        /// Only this account (its id on the live pulls page); pulled even when paused.
        #[arg(long)]
        account: Option<i64>,
    },
    /// Platform accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Score texts read one per line on standard input; writes one JSON object per line
    /// (text, compound, pos, neu, neg, language) in input order. Scores are null for text
    /// detected as not English.
    Sentiment {
        /// Score every line without detecting its language.
        #[arg(long)]
        no_language: bool,
        /// Scoring threads (default: every core).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// A report (leadership, training-effect, adoption, kirkpatrick, roi, influence) as JSON or
    /// CSV on standard output.
    Report(crate::analytics_cli::ReportArgs),
    /// Learning content.
    #[command(subcommand)]
    Curriculum(crate::learning_cli::CurriculumCommand),
    /// Export data.
    #[command(subcommand)]
    Export(crate::learning_cli::ExportCommand),
    /// Send the assignment reminders, post-training surveys and survey reminders that are due (for
    /// cron; servers also do it every five minutes).
    Remind {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
    },
    /// Send the credential expiry reminders that are due (for cron; servers also do it every ten minutes).
    RemindCredentials {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
    },
    /// Measure performance on this machine (reports figures; never fails on timing).
    #[command(subcommand)]
    Bench(crate::bench::BenchCommand),
}

#[derive(Subcommand, Debug)]
enum OrgCommand {
    /// Create an organisation, with its first administrator.
    Create {
        /// Short name used in addresses.
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// The first administrator's email (an invitation link is printed and queued).
        #[arg(long)]
        admin_email: String,
        /// The first administrator's name.
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
    },
    /// List organisations.
    List,
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Import people from an HR CSV export (idempotent by employee id, then email).
    People {
        /// The CSV file.
        file: String,
        /// The organisation's slug.
        #[arg(long)]
        org: String,
    },
    /// Import a course package or curriculum (folder or zip); refused whole when it has mistakes.
    Course {
        /// The folder or .zip file.
        path: String,
        /// The organisation's slug.
        #[arg(long)]
        org: String,
    },
    /// Import historical completions from another LMS (CSV: person, course, completed_at,
    /// score); checked whole first, idempotent.
    Completions {
        /// The CSV file.
        file: String,
        /// The organisation's slug.
        #[arg(long)]
        org: String,
    },
    /// Import social posts from an export (X archive, Mastodon outbox, Bluesky feed, LinkedIn
    /// Shares.csv or generic JSONL v1; zipped or not). Idempotent; checked before writing.
    Social {
        /// The export file.
        file: String,
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        /// The account's handle, for exports that do not name it (X without account.js, LinkedIn).
        #[arg(long)]
        account: Option<String>,
        /// jsonl, x, mastodon, bluesky or linkedin (recognised from the file when left out).
        #[arg(long)]
        format: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create a platform operator account (creates organisations). Reads the password from
    /// SOMU_ADMIN_PASSWORD or asks on the terminal.
    Create {
        /// Email.
        #[arg(long)]
        email: String,
        /// Name.
        #[arg(long, default_value = "Operator")]
        name: String,
    },
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SOMU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn load_config(g: &Global) -> Result<Config> {
    let mut cfg = Config::load(g.config.as_deref())?;
    if let Some(url) = &g.database_url {
        cfg.database_url = Secret(url.clone());
    }
    Ok(cfg)
}

async fn open_store(cfg: &Config) -> Result<Store> {
    let store = Store::connect(&StoreOptions {
        url: cfg.database_url.0.clone(),
        max_connections: cfg.database_max_connections,
    })
    .await
    .context("connecting to the database")?;
    store.migrate().await.context("applying migrations")?;
    Ok(store)
}

/// Run one command.
pub async fn run(cli: Cli) -> Result<()> {
    let mut cfg = load_config(&cli.global)?;
    match cli.command {
        Command::Serve { bind } => {
            if let Some(b) = bind {
                cfg.bind = b;
            }
            init_logging(cfg.log_json);
            cfg.credential_secret()?;
            tracing::info!(config = ?cfg, "starting");
            let store = open_store(&cfg).await?;
            let state = AppState::new(store, cfg);
            let _pulls = somu_web::pages::social::pulls::spawn_pull_tick(&state);
            serve(state, None).await
        }
        Command::Demo {
            bind,
            keep,
            no_serve,
        } => {
            if cli.global.database_url.is_none() && std::env::var("SOMU_DATABASE_URL").is_err() {
                cfg.database_url = Secret("sqlite://somu-demo.db".into());
                if !keep {
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("somu-demo.db{suffix}"));
                    }
                }
            }
            cfg.bind = bind;
            // The demo's pull schedules point at a local address that answers nothing (it never
            // calls the internet), so its admins may keep such addresses when they edit one.
            cfg.social_pull_private_servers = true;
            if cfg.credential_key_secret.0.is_empty() {
                cfg.credential_key_secret = Secret(crate::demo::credentials::demo_secret(keep)?);
            }
            init_logging(cfg.log_json);
            let store = open_store(&cfg).await?;
            let state = AppState::new(store, cfg);
            let logins = crate::demo::seed(&state, keep).await?;
            if no_serve {
                crate::demo::print_logins(&logins, &state.config.base_url);
                return Ok(());
            }
            serve(state, Some(logins)).await
        }
        Command::Migrate => {
            init_logging(cfg.log_json);
            open_store(&cfg).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Backup { dest } => {
            let store = open_store(&cfg).await?;
            if store.kind() != somu_store::BackendKind::Sqlite {
                bail!("for PostgreSQL, use pg_dump (see README.md)");
            }
            if std::path::Path::new(&dest).exists() {
                bail!("{dest} exists; choose a new file name");
            }
            store.backup_sqlite(&dest).await?;
            println!("backup written to {dest}");
            Ok(())
        }
        Command::Org(OrgCommand::Create {
            slug,
            name,
            admin_email,
            admin_name,
        }) => {
            let store = open_store(&cfg).await?;
            let state = AppState::new(store, cfg);
            let new = NewOrg::parse(&slug, &name).map_err(|e| anyhow!("{e}"))?;
            let draft = PersonDraft {
                email: admin_email,
                name: admin_name,
                audience: "leadership".into(),
                ..Default::default()
            };
            let admin =
                PersonInput::validate(&draft, &|f: PersonField| format!("--admin-{}", f.code()))
                    .map_err(|e| anyhow!("{e}"))?;
            let system = system_principal();
            let (org, link) =
                somu_web::pages::operator::create_org_with_admin(&state, &new, &admin, &system)
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
            println!("created organisation {} ({})", org.name, org.slug);
            if let Some(link) = link {
                println!("invitation for {}: {link}", admin.email);
            }
            Ok(())
        }
        Command::Org(OrgCommand::List) => {
            let store = open_store(&cfg).await?;
            for o in store.orgs().await? {
                println!("{}\t{}", o.slug, o.name);
            }
            Ok(())
        }
        Command::Import(ImportCommand::People { file, org }) => {
            import_people(&cfg, &file, &org).await
        }
        Command::Bench(crate::bench::BenchCommand::Generate(a)) => {
            crate::analytics_cli::generate(&open_store(&cfg).await?, a).await
        }
        Command::Bench(crate::bench::BenchCommand::Dashboard(a)) => {
            crate::analytics_cli::dashboard(&open_store(&cfg).await?, a).await
        }
        Command::Report(a) => crate::analytics_cli::report(&open_store(&cfg).await?, a).await,
        Command::Import(ImportCommand::Course { path, org }) => {
            crate::learning_cli::import_course(&open_store(&cfg).await?, &path, &org).await
        }
        Command::Curriculum(cmd) => {
            crate::learning_cli::curriculum(&open_store(&cfg).await?, cmd).await
        }
        Command::Export(cmd) => crate::learning_cli::export(&open_store(&cfg).await?, cmd).await,
        Command::Import(ImportCommand::Completions { file, org }) => {
            crate::progress_cli::import_completions(&open_store(&cfg).await?, &file, &org).await
        }
        Command::Remind { org } => {
            let store = open_store(&cfg).await?;
            crate::progress_cli::remind(&store, &cfg.base_url, &org).await?;
            crate::surveys_cli::remind(&store, &cfg.base_url, &org).await
        }
        Command::RemindCredentials { org } => {
            let store = open_store(&cfg).await?;
            let id = store
                .org_by_slug(&org)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no organisation with the slug {org}"))?
                .org_id();
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let sent =
                somu_web::pages::credentials::reminders::remind_org(&store, &cfg.base_url, id, now)
                    .await?;
            println!("{org}: {sent} credential expiry reminders sent");
            Ok(())
        }
        Command::Import(ImportCommand::Social {
            file,
            org,
            account,
            format,
        }) => {
            let store = open_store(&cfg).await?;
            crate::social_cli::import_social(&store, &file, &org, account, format).await
        }
        Command::Pull { org, account } => {
            let store = open_store(&cfg).await?;
            crate::pull_cli::pull(AppState::new(store, cfg), &org, account).await
        }
        Command::Bench(cmd) => crate::bench::run(cmd).await,
        Command::Sentiment {
            no_language,
            threads,
        } => {
            let threads = threads
                .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
                .unwrap_or(1);
            tokio::task::spawn_blocking(move || {
                let analyzer = somu_sentiment::Analyzer::shared();
                somu_sentiment::stream::score_lines(
                    analyzer,
                    std::io::stdin().lock(),
                    std::io::stdout(),
                    threads,
                    !no_language,
                )
            })
            .await??;
            Ok(())
        }
        Command::Admin(AdminCommand::Create { email, name }) => {
            let store = open_store(&cfg).await?;
            let password = match std::env::var("SOMU_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprint!("password for {email}: ");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end().to_string()
                }
            };
            if password.chars().count() < somu_web::auth::MIN_PASSWORD {
                bail!(
                    "the password needs at least {} characters",
                    somu_web::auth::MIN_PASSWORD
                );
            }
            let hash = somu_web::auth::hash_password(&password).map_err(|e| anyhow!("{e}"))?;
            match store.account_by_email(&email).await? {
                Some(a) => {
                    store.set_password(a.account_id(), &hash).await?;
                    store.set_operator(a.account_id(), true).await?;
                    println!("{email} is now a platform operator (password replaced)");
                }
                None => {
                    store
                        .create_account(&email, &name, Some(&hash), true)
                        .await?;
                    println!("created platform operator {email}");
                }
            }
            Ok(())
        }
    }
}

fn system_principal() -> somu_web::access::Principal {
    somu_web::access::Principal {
        account_id: somu_domain::ids::AccountId(0),
        email: "system (command line)".into(),
        name: "System".into(),
        is_operator: true,
        locale: "en".into(),
        token: None,
        ip: "local".into(),
    }
}

async fn import_people(cfg: &Config, file: &str, org_slug: &str) -> Result<()> {
    let store = open_store(cfg).await?;
    let org = store
        .org_by_slug(org_slug)
        .await?
        .ok_or_else(|| anyhow!("no organisation with the slug {org_slug}"))?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
    let keys = store.person_keys(org.org_id()).await?;
    let spinner = ProgressBar::new_spinner().with_message(format!("checking {file}"));
    let parsed = parse_people_csv(&bytes, None, &|k| keys.contains(k));
    spinner.finish_and_clear();
    let parsed = match parsed {
        Ok(p) => p,
        Err(errors) => {
            for e in errors.0.iter().take(200) {
                eprintln!("{file}: {e}");
            }
            if errors.0.len() > 200 {
                eprintln!("{file}: … and {} more problems", errors.0.len() - 200);
            }
            bail!(
                "{file} refused: {} problems; nothing was changed",
                errors.0.len()
            );
        }
    };
    let bar = ProgressBar::new(parsed.rows.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing [{bar:40}] {pos}/{len} rows  {per_sec}  eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let progress = {
        let bar = bar.clone();
        move |done: u64, _total: u64| bar.set_position(done)
    };
    let summary = store
        .import_people(org.org_id(), &parsed.rows, &progress)
        .await;
    bar.finish_and_clear();
    match summary {
        Ok(s) => {
            println!(
                "{file}: {} created, {} updated, {} unchanged, {} teams created",
                s.created, s.updated, s.unchanged, s.teams_created
            );
            Ok(())
        }
        Err(somu_store::StoreError::Invalid(errors)) => {
            for e in &errors.0 {
                eprintln!("{file}: {e}");
            }
            bail!("{file} refused; nothing was changed")
        }
        Err(e) => Err(e.into()),
    }
}

async fn serve(state: AppState, logins: Option<Vec<crate::demo::Login>>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&state.config.bind)
        .await
        .with_context(|| format!("binding {}", state.config.bind))?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}");
    println!("Somu is listening on {url}");
    if let Some(logins) = &logins {
        crate::demo::print_logins(logins, &url);
    }
    let store = state.store.clone();
    somu_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    println!("Somu stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
