//! `appdesk-portal`: parses the command line and runs one command. What it
//! prints on stdout is what scripts read (an id, a token, the JSON log); errors
//! go to stderr as the core's error body.

use std::process::ExitCode;
use std::time::Duration;

use appdesk_core::Catalog;
use appdesk_portal::config::{
    AuditCommand, Cli, Command, FeedCommand, KeyCommand, MemberCommand, TenantAdminCommand,
    TokenCommand, WorkspaceCommand,
};
use appdesk_portal::error::AppError;
use appdesk_portal::role::Role;
use appdesk_portal::server::Portal;
use appdesk_portal::{admin, audit, db, feed, keyfile, members, metrics, openapi, server};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(AppError::setup(format!("cannot start the runtime: {e}"))),
    };
    let result = runtime.block_on(run(cli.command));
    // Whatever still runs (a connection past the drain bound) ends with it.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(Some(out)) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(e: AppError) -> ExitCode {
    let body = match &e {
        AppError::Internal(detail) => {
            serde_json::json!({"code": "failed", "message": detail}).to_string()
        }
        // Before serving, a failure of the core (a damaged key file) is the
        // operator's to read, not a client's to be spared.
        AppError::Core(core) if e.status().is_server_error() => {
            serde_json::json!({"code": core.code(), "message": core.to_string()}).to_string()
        }
        _ => serde_json::to_string(&e.body()).unwrap_or_else(|_| e.to_string()),
    };
    eprintln!("appdesk-portal: {body}");
    ExitCode::FAILURE
}

async fn run(command: Command) -> Result<Option<String>, AppError> {
    Ok(match command {
        Command::Serve {
            database,
            listen,
            key_file,
            public_url,
            trusted_proxy,
            audit_retention_days,
            metrics_token_file,
            metrics_listen,
            limits,
        } => {
            let trusted_proxies = trusted_proxy
                .iter()
                .map(|t| audit::Cidr::parse(t))
                .collect::<Result<Vec<_>, _>>()?;
            let metrics_access = match (metrics_token_file, metrics_listen) {
                (Some(file), _) => metrics::Access::Token(metrics::read_token(&file)?),
                (None, Some(at)) => metrics::Access::OwnAddress(at),
                (None, None) => metrics::Access::Off,
            };
            let public_origin = public_url
                .as_deref()
                .map(appdesk_portal::origin::of_public_url)
                .transpose()?;
            // The key first: nothing is written to a database without it.
            let key = keyfile::load(&keyfile::path(key_file)?)?;
            let wait = Duration::from_secs(limits.pool_timeout);
            let pool = db::open_sized(&database.url, limits.pool_size, wait).await?;
            if feed::adopt_cluster(&pool).await? {
                eprintln!(
                    "appdesk-portal: the change feed held positions from another cluster \
                     (a restored backup); a new feed epoch begins after them, every change \
                     and cursor is kept"
                );
            }
            db::check_key(&pool, &key).await?;
            let portal = Portal {
                pool,
                key,
                catalog: Catalog::embedded(),
                public_origin,
                trusted_proxies,
                audit_retention_days,
                metrics: Default::default(),
                metrics_access,
            };
            server::serve(portal, &listen, &limits).await?;
            None
        }
        Command::Key(KeyCommand::Init { key_file }) => {
            Some(keyfile::init(&keyfile::path(key_file)?)?)
        }
        Command::Workspace(WorkspaceCommand::Create { name, database }) => {
            let pool = db::open(&database.url).await?;
            Some(admin::create_workspace(&pool, &name).await?)
        }
        Command::Token(TokenCommand::Create {
            workspace,
            user,
            tenant_admin,
            role,
            database,
        }) => {
            let pool = db::open(&database.url).await?;
            let created = admin::create_token(
                &pool,
                workspace.as_deref(),
                &user,
                &tenant_admin,
                role.as_deref(),
            )
            .await?;
            if created.workspace_ignored {
                eprintln!(
                    "appdesk-portal: a tenant admin is not a member of a workspace: this token \
                     sees the apps that list its tenants in every workspace (--workspace is \
                     not kept)"
                );
            }
            Some(created.text)
        }
        Command::Token(TokenCommand::Revoke { prefix, database }) => {
            let pool = db::open(&database.url).await?;
            Some(admin::revoke_token(&pool, &prefix).await?)
        }
        Command::Member(command) => member(command).await?,
        Command::TenantAdmin(command) => tenant_admin(command).await?,
        Command::Audit(AuditCommand::Export {
            since,
            workspace,
            database,
        }) => {
            let pool = db::open(&database.url).await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            audit::export(&pool, since.as_deref(), workspace.as_deref(), &mut out).await?;
            std::io::Write::flush(&mut out)
                .map_err(|e| AppError::setup(format!("writing the export: {e}")))?;
            None
        }
        Command::Feed(FeedCommand::Prune {
            workspace,
            older_than,
            database,
        }) => {
            let pool = db::open(&database.url).await?;
            let age = std::time::Duration::from_secs(older_than);
            Some(feed::prune(&pool, &workspace, age).await?.to_string())
        }
        Command::Openapi => Some(openapi::document().trim_end().to_owned()),
    })
}

/// `member add`, `list` and `remove`.
async fn member(command: MemberCommand) -> Result<Option<String>, AppError> {
    Ok(match command {
        MemberCommand::Add {
            workspace,
            user,
            role,
            database,
        } => {
            let role = Role::parse(&role, "role")?;
            let pool = db::open(&database.url).await?;
            let mut client = pool.get().await?;
            let id = admin::workspace_named(&client, &workspace).await?;
            let added = members::add(&mut client, id, &user, role, members::COMMAND_LINE).await?;
            Some(json_line(&added)?)
        }
        MemberCommand::List {
            workspace,
            database,
        } => {
            let pool = db::open(&database.url).await?;
            let client = pool.get().await?;
            let id = admin::workspace_named(&client, &workspace).await?;
            let lines = members::list(&client, id)
                .await?
                .iter()
                .map(json_line)
                .collect::<Result<Vec<_>, _>>()?;
            (!lines.is_empty()).then(|| lines.join("\n"))
        }
        MemberCommand::Remove {
            workspace,
            user,
            database,
        } => {
            let pool = db::open(&database.url).await?;
            let mut client = pool.get().await?;
            let id = admin::workspace_named(&client, &workspace).await?;
            members::remove(&mut client, id, &user, members::COMMAND_LINE).await?;
            Some(user.trim().to_owned())
        }
    })
}

/// `tenant-admin add`, `list` and `remove`.
async fn tenant_admin(command: TenantAdminCommand) -> Result<Option<String>, AppError> {
    Ok(match command {
        TenantAdminCommand::Add {
            tenant,
            user,
            database,
        } => {
            let pool = db::open(&database.url).await?;
            let mut client = pool.get().await?;
            Some(members::add_tenant_admin(&mut client, &tenant, &user).await?)
        }
        TenantAdminCommand::List { database } => {
            let pool = db::open(&database.url).await?;
            let lines = members::list_tenant_admins(&pool.get().await?).await?;
            (!lines.is_empty()).then(|| lines.join("\n"))
        }
        TenantAdminCommand::Remove {
            tenant,
            user,
            database,
        } => {
            let pool = db::open(&database.url).await?;
            let mut client = pool.get().await?;
            Some(members::remove_tenant_admin(&mut client, &tenant, &user).await?)
        }
    })
}

fn json_line(value: &impl serde::Serialize) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(format!("as JSON: {e}")))
}
