//! Start-up cost: loading and compiling the built-in rules, and building the engine.
//! `cargo run --release --example startup`
fn main() {
    let t = std::time::Instant::now();
    let set = std::sync::Arc::new(keysift::rules::RuleSet::builtin().expect("rules load"));
    let a = t.elapsed();
    let e = keysift::detect::engine::Engine::new(set.clone()).expect("engine builds");
    let b = t.elapsed();
    std::hint::black_box(&e);
    let t2 = std::time::Instant::now();
    for r in set.rules() {
        r.compiled().expect("built-in regex compiles");
    }
    let c = t2.elapsed();
    println!(
        "load rules {a:?}, build engine {:?}, then compile every regex {c:?}",
        b - a
    );
}
