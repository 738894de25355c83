//! The README's walkthrough, run as a user would run it: the `graph-app`
//! binary against `docgen mock` (serving this crate's pages, with its file
//! host for the download and the upload session) and a fake authority for
//! the client credentials sign-in. Every step's output is checked, and what
//! arrived: the downloaded bytes, and the 50 MB upload's SHA-256 as the
//! file host computed it.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TENANT: &str = "contoso.onmicrosoft.com";
const ITEM: &str = "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K";

#[test]
fn the_walkthrough_runs_against_the_mock_and_a_fake_authority() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let read = docgen::read_docs(&[docs]).expect("the pages read");
    let routes = docgen::mock::Routes::from_ir(&read.ir, &read.sources);
    let (graph, files) = runtime.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind"),
            tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind"),
        )
    });
    let graph_url = format!("http://{}/v1.0", graph.local_addr().expect("address"));
    runtime.spawn(docgen::mock::serve_with_files(
        Arc::new(routes),
        graph,
        files,
    ));

    let authority = runtime.block_on(async {
        let authority = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
            .and(body_string_contains("grant_type=client_credentials"))
            .and(body_string_contains("client_secret=walkthrough-secret"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "token_type": "Bearer",
                "expires_in": 3599,
                "access_token": "walkthrough-token"
            })))
            .expect(1)
            .mount(&authority)
            .await;
        authority
    });

    let dir = tempfile::tempdir().expect("a temporary folder");
    let upload = dir.path().join("archive.zip");
    let data: Vec<u8> = (0..50_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(&upload, &data).expect("the file to back up");
    let download = dir.path().join("report.pdf");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_graph-app"))
        .env("GRAPH_TENANT_ID", TENANT)
        .env("GRAPH_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
        .env("GRAPH_CLIENT_SECRET", "walkthrough-secret")
        .env("GRAPH_BASE_URL", &graph_url)
        .env("GRAPH_AUTHORITY_HOST", authority.uri())
        .env("GRAPH_ITEM_ID", ITEM)
        .env("GRAPH_DOWNLOAD_TO", &download)
        .env("GRAPH_UPLOAD_FROM", &upload)
        .output()
        .expect("the app runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // What the app printed, for whoever reads the test's output.
    eprintln!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        !format!("{stdout}{stderr}").contains("walkthrough-secret")
            && !format!("{stdout}{stderr}").contains("walkthrough-token"),
        "a secret was printed"
    );

    // Three documented users, two per page: every one exactly once.
    for name in ["Ana Souza", "Bo Lindqvist", "Chidi Okafor"] {
        assert_eq!(
            stdout.matches(&format!("user {name} <")).count(),
            1,
            "{stdout}"
        );
    }
    assert!(
        stdout.contains("message \"Quarterly report\" from bo@contoso.com"),
        "{stdout}"
    );

    // The download went to the file host (302, without the token: the host
    // refuses one) and is the bytes it serves.
    assert!(stdout.contains("downloaded 1048576 bytes"), "{stdout}");
    let bytes = std::fs::read(&download).expect("the downloaded file");
    let served = format!("/contoso-my.files.example/download/{ITEM}");
    assert_eq!(bytes.len() as u64, docgen::mock::DOWNLOAD_BYTES);
    assert!(
        bytes
            .iter()
            .enumerate()
            .all(|(i, b)| *b == docgen::mock::download_byte(&served, i as u64)),
        "the downloaded bytes differ from the served ones"
    );

    // The upload arrived whole: the file host hashes what it was sent.
    let hex: String = Sha256::digest(&data)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert!(
        stdout.contains(&format!("(50000000 bytes, SHA-256 {hex})")),
        "{stdout}"
    );
    assert!(
        stdout.contains("uploaded 50000000 of 50000000 bytes"),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("mail sent"), "{stdout}");

    // One sign-in for the whole run (the token is cached).
    runtime.block_on(authority.verify());
}
