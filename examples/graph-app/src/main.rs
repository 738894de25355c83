//! A Graph app in Rust: a daemon that signs in with client credentials, lists
//! the organization's users page by page, reads a user's latest message,
//! downloads a file from their OneDrive, backs up a large file to it with an
//! upload session, and sends them a mail. It runs on the SDK that build.rs
//! generates from `docs/`; "A Graph app in Rust" in the README walks through
//! it, and CI runs it against `docgen mock` and a fake authority
//! (`tests/walkthrough.rs`).
//!
//! Settings come from the environment:
//!
//! | variable | meaning |
//! |---|---|
//! | `GRAPH_TENANT_ID`, `GRAPH_CLIENT_ID`, `GRAPH_CLIENT_SECRET` | the app registration (required) |
//! | `GRAPH_BASE_URL` | default `https://graph.microsoft.com/v1.0` |
//! | `GRAPH_AUTHORITY_HOST` | default: the cloud of the base URL (`https://login.microsoftonline.com`) |
//! | `GRAPH_ITEM_ID` | the drive item to download (required) |
//! | `GRAPH_DOWNLOAD_TO` | where to write it (default `download.bin`) |
//! | `GRAPH_UPLOAD_FROM` | the file to back up (required) |

use std::path::PathBuf;
use std::process::ExitCode;

use futures_util::StreamExt;
use graph_app::{Client, models, runtime};

/// What the app needs to run, from the environment.
struct Settings {
    tenant: String,
    client_id: String,
    client_secret: String,
    base_url: String,
    authority_host: Option<String>,
    item_id: String,
    download_to: PathBuf,
    upload_from: PathBuf,
}

impl Settings {
    fn from_env() -> Result<Settings, String> {
        let required = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
        Ok(Settings {
            tenant: required("GRAPH_TENANT_ID")?,
            client_id: required("GRAPH_CLIENT_ID")?,
            client_secret: required("GRAPH_CLIENT_SECRET")?,
            base_url: std::env::var("GRAPH_BASE_URL")
                .unwrap_or_else(|_| runtime::GRAPH_V1_0.to_owned()),
            authority_host: std::env::var("GRAPH_AUTHORITY_HOST").ok(),
            item_id: required("GRAPH_ITEM_ID")?,
            download_to: std::env::var_os("GRAPH_DOWNLOAD_TO")
                .map_or_else(|| PathBuf::from("download.bin"), PathBuf::from),
            upload_from: required("GRAPH_UPLOAD_FROM")?.into(),
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("graph-app: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("graph-app: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: &Settings) -> Result<(), Box<dyn std::error::Error>> {
    // 1. Sign in as the app. Tokens are cached and refreshed before they
    //    expire; the scope is the base URL's `/.default`.
    let mut sign_in = runtime::ClientCredentials::new(
        &settings.tenant,
        &settings.client_id,
        &settings.client_secret,
    );
    if let Some(host) = &settings.authority_host {
        sign_in = sign_in.authority_host(host);
    }
    let http = runtime::Client::builder()
        .base_url(&settings.base_url)
        .client_credentials(sign_in)
        .build()?;
    let graph = Client::new(http.clone());

    // 2. Every user, two per page: `items()` follows `@odata.nextLink`.
    let mut users = graph
        .users()
        .list()
        .select(["id", "displayName", "mail"])
        .top(2)
        .items();
    let mut first = None;
    while let Some(user) = users.next().await {
        let user = user?;
        println!(
            "user {} <{}>",
            user.display_name.as_deref().unwrap_or("?"),
            user.mail.as_deref().unwrap_or("")
        );
        first = first.or(user.id);
    }
    let user_id = first.ok_or("the organization has no users")?;
    let user = graph.users().by_id(&user_id);

    // 3. The user's latest message, then all of it.
    let latest = user.messages().list().top(1).select(["id"]).await?;
    let message_id = latest
        .value
        .into_iter()
        .find_map(|m| m.id)
        .ok_or("the mailbox is empty")?;
    let message = user.messages().by_id(&message_id).get().await?;
    println!(
        "message {:?} from {}",
        message.subject.as_deref().unwrap_or(""),
        message
            .from
            .as_ref()
            .and_then(|f| f.email_address.as_ref())
            .and_then(|a| a.address.as_deref())
            .unwrap_or("?")
    );

    // 4. Download a file: the service redirects to a pre-authenticated URL,
    //    followed without the token, and the body streams to disk.
    let download = user
        .drive()
        .items()
        .by_id(&settings.item_id)
        .content()
        .get()
        .download()
        .await?;
    let written = download.write_to(&settings.download_to).await?;
    println!(
        "downloaded {written} bytes to {}",
        settings.download_to.display()
    );

    // 5. Back up a large file: an upload session, then the upload task, one
    //    slice in memory at a time, resuming from the session after a fault.
    let name = settings
        .upload_from
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("backup.bin")
        .to_owned();
    let file = tokio::fs::File::open(&settings.upload_from).await?;
    let len = file.metadata().await?.len();
    let session = user
        .drive()
        .item_by_path(&format!("Backups/{name}"))
        .create_upload_session(&models::CreateUploadSessionBody {
            item: Some(models::DriveItemUploadableProperties {
                name: Some(name.clone()),
                file_size: Some(i64::try_from(len)?),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await?;
    let url = session.upload_url.ok_or("the session has no upload URL")?;
    let mut reported = 0;
    let item: models::DriveItem = runtime::UploadTask::seekable(&http, &url, file, len)
        .on_progress(|p| {
            // A line per ~10 MB, not per slice.
            if p.uploaded == p.total || p.uploaded >= reported + 10_000_000 {
                reported = p.uploaded;
                println!("uploaded {} of {} bytes", p.uploaded, p.total);
            }
        })
        .await?;
    // Members the pages do not list are kept, such as OneDrive's hashes.
    let sha256 = item
        .file
        .as_ref()
        .and_then(|f| f.additional_properties.get("hashes"))
        .and_then(|h| h.get("sha256Hash"))
        .and_then(|h| h.as_str())
        .unwrap_or("?");
    println!(
        "backed up {} ({} bytes, SHA-256 {sha256})",
        item.name.as_deref().unwrap_or(&name),
        item.size.unwrap_or_default()
    );

    // 6. Tell the user, as them.
    user.send_mail(&models::SendMailBody {
        message: Some(models::Message {
            subject: Some(format!("{name} is backed up")),
            body: Some(models::ItemBody {
                content: Some(format!("{len} bytes are in Backups/{name}.")),
                content_type: Some(models::BodyType::Text),
                ..Default::default()
            }),
            to_recipients: Some(vec![models::Recipient {
                email_address: Some(models::EmailAddress {
                    address: message
                        .to_recipients
                        .iter()
                        .flatten()
                        .find_map(|r| r.email_address.as_ref()?.address.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        save_to_sent_items: Some(false),
        ..Default::default()
    })
    .await?;
    println!("mail sent");
    Ok(())
}
