//! Prometheus metrics: counters move with the blocks, txs and checks the app
//! really runs, and the HTTP endpoint serves them to a scraper.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use common::Fixture;

fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn value(text: &str, series: &str) -> u64 {
    let line = text
        .lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .unwrap_or_else(|| panic!("{series} missing in\n{text}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn metrics_follow_blocks_txs_and_checks_and_are_served_over_http() {
    let mut f = Fixture::new(2);
    f.block(vec![f.send(0, 1, 10, 0)]);
    // A send of more than the balance: delivered, fails with sdk code 5.
    f.block(vec![f.send(1, 0, common::FUNDS * 2, 0), f.send(0, 1, 10, 1)]);
    assert_eq!(f.check(f.send(0, 1, 1, 2)).code, 0);
    assert_ne!(f.check(b"not a tx".to_vec()).code, 0);
    f.balance(0);

    let text = veniced::metrics::render(&f.app);
    assert_eq!(value(&text, "veniced_block_height"), 2);
    assert_eq!(value(&text, "veniced_txs_total{codespace=\"\",code=\"0\"}"), 2);
    assert_eq!(value(&text, "veniced_txs_total{codespace=\"sdk\",code=\"5\"}"), 1);
    assert_eq!(value(&text, "veniced_check_tx_total{result=\"accepted\"}"), 1);
    assert_eq!(value(&text, "veniced_check_tx_total{result=\"rejected\"}"), 1);
    assert_eq!(value(&text, "veniced_finalize_block_seconds_count"), 2);
    assert_eq!(value(&text, "veniced_finalize_block_seconds_bucket{le=\"+Inf\"}"), 2);
    assert_eq!(value(&text, "veniced_commit_seconds_count"), 2);
    assert!(value(&text, "veniced_queries_total") >= 1);
    assert!(value(&text, "veniced_store_bytes") > 0);

    let Fixture { dir, app, .. } = f;
    let app = Arc::new(app);
    let addr = veniced::metrics::spawn(app.clone(), "127.0.0.1:0").expect("metrics server");
    let resp = get(addr, "/metrics");
    assert!(resp.starts_with("HTTP/1.1 200 OK"), "{resp}");
    assert!(resp.contains("Content-Type: text/plain; version=0.0.4"), "{resp}");
    assert!(resp.contains("\nveniced_block_height 2\n"), "{resp}");
    assert!(get(addr, "/nope").starts_with("HTTP/1.1 404"));
    // A port in use is reported, not fatal.
    assert!(veniced::metrics::spawn(app, &addr.to_string()).is_none());
    drop(dir);
}
