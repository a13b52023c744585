//! One function per command group: build the request, call, print.

use std::io::BufRead;

use reqwest::Method;
use serde_json::{Value, json};

use super::client::{
    CliError, Client, EXIT_AUDIT_BROKEN, EXIT_LEDGER_IMBALANCE, StoredSession, string_field,
};
use super::{
    AuditAction, BudgetAction, Command, Global, KeyAction, LedgerAction, ProjectAction, UserAction,
    VaultAction,
};

/// Runs an admin command (everything but `serve`).
pub async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve(_) => Err(CliError::failure("`serve` is not an admin command")),
        Command::Login {
            global,
            email,
            password,
        } => login(&global, email, password).await,
        Command::Logout { global } => logout(&global).await,
        Command::Projects { global, action } => projects(&global, action).await,
        Command::Keys { global, action } => keys(&global, action).await,
        Command::Vault { global, action } => vault(&global, action).await,
        Command::Users { global, action } => users(&global, action).await,
        Command::Budget { global, action } => budget(&global, action).await,
        Command::Audit { global, action } => audit(&global, action).await,
        Command::Ledger { action } => ledger(action).await,
    }
}

async fn ledger(action: LedgerAction) -> Result<(), CliError> {
    let LedgerAction::Check { database_url } = action;
    let fail = |e: &dyn std::fmt::Display| CliError::failure(e.to_string());
    let db = crate::db::Db::connect(&database_url, 1)
        .await
        .map_err(|e| fail(&e))?;
    let mut conn = db.conn().await.map_err(|e| fail(&e))?;
    let report = crate::ledger::check::run(&mut conn)
        .await
        .map_err(|e| fail(&e))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    if report.ok {
        Ok(())
    } else {
        Err(CliError::new(
            EXIT_LEDGER_IMBALANCE,
            format!("ledger imbalance: {} violation(s)", report.violations.len()),
        ))
    }
}

/// Prints the reply as JSON (`--json`) or as the given text.
fn output(global: &Global, reply: &Value, text: impl FnOnce(&Value) -> String) {
    if global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(reply).unwrap_or_default()
        );
    } else {
        println!("{}", text(reply));
    }
}

fn items(reply: &Value) -> &[Value] {
    reply["items"]
        .as_array()
        .or_else(|| reply.as_array())
        .map_or(&[], Vec::as_slice)
}

fn lines(reply: &Value, line: impl Fn(&Value) -> String) -> String {
    let rows: Vec<String> = items(reply).iter().map(line).collect();
    if rows.is_empty() {
        "(none)".to_owned()
    } else {
        rows.join("\n")
    }
}

fn read_stdin_line(what: &str) -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::failure(format!("cannot read {what} from stdin: {e}")))?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if line.is_empty() {
        return Err(CliError::failure(format!("expected the {what} on stdin")));
    }
    Ok(line)
}

fn usd(text: &str) -> Result<Value, CliError> {
    crate::money::Usd::parse(text)
        .map(|amount| json!(amount.to_string()))
        .map_err(|e| CliError::failure(format!("amount: {e}")))
}

async fn login(global: &Global, email: String, password: Option<String>) -> Result<(), CliError> {
    let password = match password {
        Some(password) => password,
        None => read_stdin_line("password")?,
    };
    let client = Client::new(global);
    let body = json!({"email": email, "password": password});
    let session = client
        .anonymous(Method::POST, "/api/v1/auth/login", &body)
        .await?;
    StoredSession {
        server: client.server().to_owned(),
        email: email.clone(),
        access_token: string_field(&session, "access_token")?,
        refresh_token: string_field(&session, "refresh_token")?,
    }
    .save()?;
    output(global, &session["user"], |user| {
        format!(
            "logged in to {} as {email} ({})",
            client.server(),
            user["role"].as_str().unwrap_or("?")
        )
    });
    Ok(())
}

async fn logout(global: &Global) -> Result<(), CliError> {
    let client = Client::new(global);
    if let Some(session) = client.session() {
        let body = json!({"refresh_token": session.refresh_token});
        client
            .anonymous(Method::POST, "/api/v1/auth/logout", &body)
            .await?;
    }
    StoredSession::delete();
    output(global, &json!({"logged_out": true}), |_| {
        "logged out".to_owned()
    });
    Ok(())
}

fn project_line(p: &Value) -> String {
    format!(
        "{}  {:<24} {:<8} ${} / ${} ({})",
        p["id"].as_str().unwrap_or(""),
        p["name"].as_str().unwrap_or(""),
        p["status"].as_str().unwrap_or(""),
        p["spent_usd"].as_str().unwrap_or(""),
        p["budget_usd"].as_str().unwrap_or(""),
        p["budget_period"].as_str().unwrap_or(""),
    )
}

async fn projects(global: &Global, action: ProjectAction) -> Result<(), CliError> {
    let mut client = Client::new(global);
    let status_change = |id: &str, verb: &str| {
        (
            Method::POST,
            format!("/api/v1/projects/{id}/{verb}"),
            Some(json!({})),
        )
    };
    let (method, path, body) = match &action {
        ProjectAction::Create {
            name,
            budget,
            period,
        } => (
            Method::POST,
            "/api/v1/projects".to_owned(),
            Some(json!({"name": name, "budget_usd": usd(budget)?, "budget_period": period})),
        ),
        ProjectAction::List => (Method::GET, "/api/v1/projects".to_owned(), None),
        ProjectAction::Show { project_id } => {
            (Method::GET, format!("/api/v1/projects/{project_id}"), None)
        }
        ProjectAction::Pause { project_id } => status_change(project_id, "pause"),
        ProjectAction::Resume { project_id } => status_change(project_id, "resume"),
        ProjectAction::Archive { project_id } => status_change(project_id, "archive"),
    };
    let reply = client.call(method, &path, body).await?;
    match action {
        ProjectAction::List => output(global, &reply, |r| lines(r, project_line)),
        _ => output(global, &reply, project_line),
    }
    Ok(())
}

fn key_line(k: &Value) -> String {
    format!(
        "{}  {}...  {:<20} {:<9} owner {}",
        k["id"].as_str().unwrap_or(""),
        k["display_prefix"].as_str().unwrap_or(""),
        k["name"].as_str().unwrap_or(""),
        k["status"].as_str().unwrap_or(""),
        k["owner_id"].as_str().unwrap_or(""),
    )
}

async fn keys(global: &Global, action: KeyAction) -> Result<(), CliError> {
    let mut client = Client::new(global);
    match action {
        KeyAction::Create {
            project,
            name,
            owner,
            limit,
            allow_ip,
            expires,
        } => {
            let mut body = json!({"name": name, "ip_allowlist": allow_ip});
            if let Some(owner) = owner {
                body["owner_id"] = json!(owner);
            }
            if let Some(limit) = limit {
                body["spend_limit_usd"] = usd(&limit)?;
            }
            if let Some(expires) = expires {
                body["expires_at"] = json!(expires);
            }
            let reply = client
                .call(
                    Method::POST,
                    &format!("/api/v1/projects/{project}/keys"),
                    Some(body),
                )
                .await?;
            output(global, &reply, |k| {
                format!(
                    "{}\n\nkey: {}\nThis key is shown only once. Give it to the developer now.",
                    key_line(k),
                    k["key"].as_str().unwrap_or("")
                )
            });
        }
        KeyAction::List { project } => {
            let query = project
                .map(|p| format!("?project_id={p}"))
                .unwrap_or_default();
            let reply = client
                .call(Method::GET, &format!("/api/v1/keys{query}"), None)
                .await?;
            output(global, &reply, |r| lines(r, key_line));
        }
        KeyAction::Revoke { key_id } => key_status(global, &mut client, &key_id, "revoke").await?,
        KeyAction::Suspend { key_id } => {
            key_status(global, &mut client, &key_id, "suspend").await?
        }
        KeyAction::Resume { key_id } => key_status(global, &mut client, &key_id, "resume").await?,
    }
    Ok(())
}

async fn key_status(
    global: &Global,
    client: &mut Client,
    key_id: &str,
    verb: &str,
) -> Result<(), CliError> {
    let reply = client
        .call(
            Method::POST,
            &format!("/api/v1/keys/{key_id}/{verb}"),
            Some(json!({})),
        )
        .await?;
    output(global, &reply, key_line);
    Ok(())
}

fn credential_line(c: &Value) -> String {
    format!(
        "{}  {:<10} {:<16} {}",
        c["id"].as_str().unwrap_or(""),
        c["provider"].as_str().unwrap_or(""),
        c["label"].as_str().unwrap_or(""),
        c["masked_value"].as_str().unwrap_or(""),
    )
}

async fn vault(global: &Global, action: VaultAction) -> Result<(), CliError> {
    let mut client = Client::new(global);
    let base = |project: &str| format!("/api/v1/projects/{project}/providers");
    match action {
        VaultAction::Add {
            project,
            provider,
            label,
        } => {
            let mut body =
                json!({"provider": provider, "api_key": read_stdin_line("provider key")?});
            if let Some(label) = label {
                body["label"] = json!(label);
            }
            let reply = client
                .call(Method::POST, &base(&project), Some(body))
                .await?;
            output(global, &reply, credential_line);
        }
        VaultAction::List { project } => {
            let reply = client.call(Method::GET, &base(&project), None).await?;
            output(global, &reply, |r| lines(r, credential_line));
        }
        VaultAction::Rotate {
            project,
            provider_id,
        } => {
            let body = json!({"api_key": read_stdin_line("provider key")?});
            let path = format!("{}/{provider_id}", base(&project));
            let reply = client.call(Method::PUT, &path, Some(body)).await?;
            output(global, &reply, credential_line);
        }
        VaultAction::Remove {
            project,
            provider_id,
        } => {
            client
                .call(
                    Method::DELETE,
                    &format!("{}/{provider_id}", base(&project)),
                    None,
                )
                .await?;
            output(global, &json!({"removed": provider_id}), |_| {
                format!("removed {provider_id}")
            });
        }
        VaultAction::Test {
            project,
            provider_id,
        } => {
            let path = format!("{}/{provider_id}/test", base(&project));
            let reply = client.call(Method::POST, &path, Some(json!({}))).await?;
            output(global, &reply, |r| {
                r["message"].as_str().unwrap_or("").to_owned()
            });
            if reply["ok"] != true {
                return Err(CliError::failure(
                    "the provider did not accept the credential",
                ));
            }
        }
        VaultAction::Rekey(args) => super::rekey::run(global, args).await?,
    }
    Ok(())
}

fn user_line(u: &Value) -> String {
    format!(
        "{}  {:<30} {}",
        u["id"].as_str().unwrap_or(""),
        u["email"].as_str().unwrap_or(""),
        u["role"].as_str().unwrap_or(""),
    )
}

async fn users(global: &Global, action: UserAction) -> Result<(), CliError> {
    let mut client = Client::new(global);
    match action {
        UserAction::Invite { email, role } => {
            let body = json!({"email": email, "role": role});
            let reply = client
                .call(Method::POST, "/api/v1/invitations", Some(body))
                .await?;
            output(global, &reply, |r| {
                format!(
                    "invited {email} as {role}\ninvitation token: {}\nThey register with it at POST /api/v1/auth/register.",
                    r["invitation_token"].as_str().unwrap_or("")
                )
            });
        }
        UserAction::List => {
            let reply = client.call(Method::GET, "/api/v1/users", None).await?;
            output(global, &reply, |r| lines(r, user_line));
        }
        UserAction::Remove { user_id } => {
            client
                .call(Method::DELETE, &format!("/api/v1/users/{user_id}"), None)
                .await?;
            output(global, &json!({"removed": user_id}), |_| {
                format!("removed {user_id}")
            });
        }
        UserAction::Role { user_id, role } => {
            let body = json!({"role": role});
            let reply = client
                .call(
                    Method::PUT,
                    &format!("/api/v1/users/{user_id}/role"),
                    Some(body),
                )
                .await?;
            output(global, &reply, user_line);
        }
    }
    Ok(())
}

fn request_line(r: &Value) -> String {
    format!(
        "{}  {}  ${:<10} {:<8} {}",
        r["id"].as_str().unwrap_or(""),
        r["project_id"].as_str().unwrap_or(""),
        r["amount_usd"].as_str().unwrap_or(""),
        r["status"].as_str().unwrap_or(""),
        r["reason"].as_str().unwrap_or(""),
    )
}

async fn budget(global: &Global, action: BudgetAction) -> Result<(), CliError> {
    let mut client = Client::new(global);
    let (method, path, body, is_list) = match action {
        BudgetAction::Request {
            project,
            amount,
            reason,
        } => (
            Method::POST,
            format!("/api/v1/projects/{project}/budget-requests"),
            Some(json!({"amount_usd": usd(&amount)?, "reason": reason})),
            false,
        ),
        BudgetAction::List { status } => {
            let query = status.map(|s| format!("?status={s}")).unwrap_or_default();
            (
                Method::GET,
                format!("/api/v1/budget-requests{query}"),
                None,
                true,
            )
        }
        BudgetAction::Approve { request_id, reason } => (
            Method::POST,
            format!("/api/v1/budget-requests/{request_id}/approve"),
            Some(json!({"reason": reason})),
            false,
        ),
        BudgetAction::Deny { request_id, reason } => (
            Method::POST,
            format!("/api/v1/budget-requests/{request_id}/deny"),
            Some(json!({"reason": reason})),
            false,
        ),
    };
    let reply = client.call(method, &path, body).await?;
    if is_list {
        output(global, &reply, |r| lines(r, request_line));
    } else {
        output(global, &reply, request_line);
    }
    Ok(())
}

async fn audit(global: &Global, action: AuditAction) -> Result<(), CliError> {
    let mut client = Client::new(global);
    match action {
        AuditAction::List {
            action,
            target,
            limit,
        } => {
            let mut query = format!("?limit={limit}");
            if let Some(action) = action {
                query.push_str(&format!("&action={action}"));
            }
            if let Some(target) = target {
                query.push_str(&format!("&target_id={target}"));
            }
            let reply = client
                .call(Method::GET, &format!("/api/v1/audit{query}"), None)
                .await?;
            output(global, &reply, |r| {
                lines(r, |a| {
                    format!(
                        "#{:<5} {}  {:<24} {:<44} by {}",
                        a["seq"],
                        a["created_at"].as_str().unwrap_or(""),
                        a["action"].as_str().unwrap_or(""),
                        a["target_id"].as_str().unwrap_or(""),
                        a["actor_id"].as_str().unwrap_or("-"),
                    )
                })
            });
        }
        AuditAction::Verify => {
            let reply = client
                .call(Method::GET, "/api/v1/audit/verify", None)
                .await?;
            let checked = reply["records_checked"].as_i64().unwrap_or(0);
            if reply["ok"] == true {
                output(global, &reply, |_| {
                    format!("audit chain intact: {checked} records verified")
                });
            } else {
                let seq = reply["first_bad_seq"].as_i64().unwrap_or(0);
                let problem = reply["problem"]
                    .as_str()
                    .unwrap_or("does not verify")
                    .to_owned();
                if global.json {
                    output(global, &reply, |_| String::new());
                }
                return Err(CliError::new(
                    EXIT_AUDIT_BROKEN,
                    format!(
                        "audit chain broken at record #{seq}: {problem} ({checked} records before it verified)"
                    ),
                ));
            }
        }
    }
    Ok(())
}
