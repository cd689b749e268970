//! Writes a workspace and reports the speed: `cargo run --release -p demo --example demo_bench
//! -- USERS DIR`.

use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let users = args.next().map_or(100_000, |n| n.parse().expect("USERS is a number"));
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "demo-data".to_owned()));
    std::fs::create_dir_all(&dir)?;
    let config = demo::DemoConfig::new(users);
    let started = Instant::now();
    let (files, counts) = demo::write_files(&config, &dir)?;
    let seconds = started.elapsed().as_secs_f64();
    let rows = counts.companies + counts.users + counts.orders + counts.events;
    println!("{counts:?} into {}", files.orders.parent().unwrap_or(&dir).display());
    println!("{seconds:.2}s total, {:.2}M rows/s", rows as f64 / seconds / 1e6);

    // Each file alone, to the same place.
    let time = |name: &str, write: &dyn Fn(std::io::BufWriter<std::fs::File>) -> std::io::Result<u64>| {
        let file = std::fs::File::create(dir.join(name)).expect("create");
        let started = Instant::now();
        let rows = write(std::io::BufWriter::new(file)).expect("write");
        let seconds = started.elapsed().as_secs_f64();
        println!("{name}: {rows} rows in {seconds:.2}s = {:.2}M rows/s", rows as f64 / seconds / 1e6);
    };
    time("companies.csv", &|w| demo::write_companies(&config, w));
    time("users.csv", &|w| demo::write_users(&config, w));
    time("orders.csv", &|w| demo::write_orders(&config, w));
    time("events.csv", &|w| demo::write_events(&config, w));
    let started = Instant::now();
    let rows = demo::write_orders(&config, std::io::sink())?;
    let seconds = started.elapsed().as_secs_f64();
    println!("orders to io::sink: {:.2}M rows/s", rows as f64 / seconds / 1e6);
    Ok(())
}
