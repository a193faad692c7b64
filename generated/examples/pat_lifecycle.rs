//! List, create, rename and delete a personal access token (hand-written; shown in the README).
//!
//! Run with `SAIL_BASE_URL=https://tenant.api.identitynow.com SAIL_ACCESS_TOKEN=... cargo run --example pat_lifecycle`.

use sailpoint_pat::Client;
use sailpoint_pat::secret::ExposeSecret;
use sailpoint_pat::v2025::models::{CreatePersonalAccessTokenRequest, JsonPatchOperation, JsonPatchOperationOp};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(std::env::var("SAIL_BASE_URL")?) // https required except on loopback
        .access_token(std::env::var("SAIL_ACCESS_TOKEN")?) // redacted in Debug
        .build()?;
    let pats = client.v2025().personal_access_tokens();

    let mine =
        pats.list_personal_access_tokens().owner_id("me").filters("lastUsed le 2023-02-05T10:59:27.214Z").await?;
    println!("{} tokens unused since February 2023", mine.len());

    let mut request = CreatePersonalAccessTokenRequest::new("CI token");
    request.scope = Some(vec!["sp:scopes:all".into()]);
    let created = pats.create_personal_access_token(request).await?;
    // Debug of `created` redacts the secret; printing it is a deliberate call.
    println!("client id {}, secret (shown once): {}", created.id, created.secret.expose_secret());

    let mut rename = JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/name");
    rename.value = Some("CI token (rotated)".into());
    let renamed = pats.patch_personal_access_token(created.id.clone(), vec![rename]).await?;
    println!("renamed to {}", renamed.name);

    pats.delete_personal_access_token(created.id).await?; // 204 -> ()
    Ok(())
}
