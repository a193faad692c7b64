//! Fuzzes parse + lower + render: any bytes as a spec file must give `Ok` or an `Err`, never a panic,
//! a hang or a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // JSON-looking input goes through the JSON parser, like a `.json` spec file.
    let display = if data.first() == Some(&b'{') { "fuzz.json" } else { "fuzz.yaml" };
    let input = generator::SpecInput { display: display.into(), bytes: data.to_vec(), module: "api".into(), dir: None };
    let _ = generator::generate(&[input], &generator::Options::default());
});
