//! Fuzzes parse + lower + render: any bytes as a spec file must give `Ok` or an `Err`, never a panic,
//! a hang or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = generator::SpecInput { display: "fuzz.yaml".into(), bytes: data.to_vec(), module: "api".into(), dir: None };
    let _ = generator::generate(&[input], &generator::Options::default());
});
