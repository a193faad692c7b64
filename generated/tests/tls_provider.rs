//! Hand-written (never touched by the generator): a program that uses the crate with its default
//! features builds its own `reqwest::Client` without a panic. Cargo unifies the program's reqwest
//! features with the crate's, so the crate must never leave reqwest with TLS but no crypto provider.
//! This file is its own test binary: nothing of the crate has run in it before these tests.

#[test]
fn the_program_around_the_client_can_build_its_own_reqwest_client() {
    let built = std::panic::catch_unwind(reqwest::Client::new);
    assert!(built.is_ok(), "reqwest::Client::new() panicked in a program using this crate's default features");
    assert!(reqwest::Client::builder().build().is_ok());
}

#[tokio::test]
async fn and_the_generated_client_still_works_beside_it() {
    let own = reqwest::Client::new();
    let client =
        sailpoint_pat::Client::builder().base_url("https://tenant.api.identitynow.com").access_token("t").build();
    assert!(client.is_ok(), "{:?}", client.err());
    drop(own);
}
