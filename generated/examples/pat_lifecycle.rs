//! From environment variables to listing, creating, patching and deleting a personal access token
//! (hand-written; shown in the README).
//!
//! Run with `SAIL_BASE_URL=https://tenant.api.identitynow.com SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...
//! cargo run --example pat_lifecycle` (or with the sail CLI's `~/.sailpoint/config.yaml` in place).

use sailpoint_pat::secret::ExposeSecret;
use sailpoint_pat::v2025::models::CreatePersonalAccessTokenRequest;
use sailpoint_pat::{Client, Filter, JsonPatch};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Client credentials are exchanged for an access token, cached and refreshed as needed;
    // 429 and 5xx answers are retried as the default RetryPolicy says.
    let client = Client::from_env()?;
    let pats = client.v2025().personal_access_tokens();

    let stale_since = chrono::Utc::now() - chrono::Duration::days(90);
    let stale = pats.list_personal_access_tokens().filters(Filter::le("lastUsed", stale_since)).await?;
    println!("{} tokens unused for 90 days", stale.len());

    let mut request = CreatePersonalAccessTokenRequest::new("CI token");
    request.scope = Some(vec!["sp:scopes:all".into()]);
    request.expiration_date = Some(chrono::Utc::now() + chrono::Duration::days(30));
    let created = pats.create_personal_access_token(request).await?;
    // `{created:?}` would print the secret redacted; showing it is a deliberate call, once.
    println!("client id {}, secret (shown once): {}", created.id, created.secret.expose_secret());

    let renamed = pats
        .patch_personal_access_token(created.id.clone(), JsonPatch::new().replace("/name", "CI token (rotated)"))
        .await?;
    println!("renamed to {}", renamed.name);

    pats.delete_personal_access_token(created.id).await?; // 204 No Content -> ()
    Ok(())
}
