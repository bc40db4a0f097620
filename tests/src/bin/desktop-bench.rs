//! `desktop-bench`: the desktop app's performance figures, in a real window
//! (run it under Xvfb; `scripts/desktop-bench` does).
//!
//! - Start-up: with N apps (default 10,000) in the database, the time from the
//!   app's process start (from /proc) to the apps list painted (the UI's
//!   `apps-list-painted` performance mark, taken by a task queued from the
//!   frame that shows the first rows, i.e. once it is painted), over several
//!   launches.
//! - Search as you type at M apps (default 100,000): for each keystroke, the
//!   time from the input event to the list showing that query's results (DOM
//!   updated), and to that frame painted (a task queued from the next frame).
//! - Resident memory of the app and WebKit's processes (RSS and PSS), and
//!   what holds the PSS (GL, WebKit's code, the binary, other libraries, heap).
//!
//! Usage: desktop-bench [--apps N] [--search-apps M] [--runs R]
//!        desktop-bench --webkit-floor      (a bare WebKitGTK window, for comparison)
//!        desktop-bench --seed-only N DIR   (fill DIR/appdesk.db and stop)
//! Timing is reported, never asserted.

use std::time::{Instant, SystemTime};

use appdesk_core::{ListQuery, Store, StoreOptions};
use appdesk_e2e::Desktop;
use appdesk_e2e::bench::{self, Memory};
use serde_json::json;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    if let Some(i) = args.iter().position(|a| a == "--seed-only") {
        // desktop-bench --seed-only N DIR: fill DIR/appdesk.db and stop (for
        // looking at a big database in the window by hand).
        let count = args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000);
        let dir = std::path::PathBuf::from(args.get(i + 2).expect("a directory"));
        std::fs::create_dir_all(&dir).expect("the directory");
        bench::seed(&dir.join("appdesk.db"), &dir.join("appdesk.key"), count).expect("seeding");
        return;
    }
    if args.iter().any(|a| a == "--webkit-floor") {
        webkit_floor().await;
        return;
    }
    let apps = arg("--apps", 10_000);
    let search_apps = arg("--search-apps", 100_000);
    let runs = arg("--runs", 3);
    println!("binary: {}", appdesk_e2e::binary().display());

    let dir = seeded(apps);
    println!("\n## Start-up to apps list painted, {apps} apps");
    println!(
        "| run | process start → painted | session request → painted | \
         process start → page navigation | → DOMContentLoaded | → UI script runs | \
         → first rows asked | → first rows arrive |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut memory = Vec::new();
    for run in 1..=runs {
        let requested = SystemTime::now();
        let d = Desktop::launch_on(dir.path()).await;
        let painted = painted_at(&d).await;
        let pid = d.app_pid().expect("the app's process");
        let started = bench::millis_since_epoch(bench::process_start(pid).expect("its start"));
        let page = d
            .client
            .execute(
                "const n = performance.getEntriesByType('navigation')[0]; \
                 const m = (name) => (performance.getEntriesByName(name)[0] || {}).startTime; \
                 return [performance.timeOrigin, n ? n.domContentLoadedEventEnd : null, \
                         m('ui-start'), m('apps-list-request'), m('apps-list-data')];",
                vec![],
            )
            .await
            .expect("navigation timing");
        let origin = page[0].as_f64().unwrap_or(f64::NAN);
        let at = |i: usize| origin + page[i].as_f64().unwrap_or(f64::NAN) - started;
        println!(
            "| {run} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            painted - started,
            painted - bench::millis_since_epoch(requested),
            origin - started,
            at(1),
            at(2),
            at(3),
            at(4),
        );
        d.wait_text("#apps-count", &format!("{apps} apps")).await;
        if run == runs {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            memory = bench::memory_tree(pid);
        }
        d.close().await;
    }
    print_memory(&format!("after start-up, {apps} apps"), &memory);

    let dir = seeded(search_apps);
    println!("\n## Search as you type, {search_apps} apps");
    let store = Store::open(&dir.path().join("appdesk.db"), StoreOptions::default()).unwrap();
    let d = Desktop::launch_on(dir.path()).await;
    painted_at(&d).await;
    d.wait_text("#apps-count", &format!("{search_apps} apps"))
        .await;
    println!("| query | matches | core query | keystroke → results in DOM | → painted |");
    println!("|---|---|---|---|---|");
    let mut worst: f64 = 0.0;
    for word in ["dispatch", "000042", "swift pay", "zq"] {
        for end in 1..=word.len() {
            let q = &word[..end];
            let t = Instant::now();
            let expected = store
                .list_summaries(&ListQuery {
                    filter: q.to_owned(),
                    offset: 0,
                    limit: Some(60),
                    ..Default::default()
                })
                .unwrap()
                .total;
            let core_ms = t.elapsed().as_secs_f64() * 1000.0;
            let (dom, paint) = keystroke(&d, q, expected).await;
            worst = worst.max(paint);
            println!("| `{q}` | {expected} | {core_ms:.1} ms | {dom:.1} ms | {paint:.1} ms |");
        }
        keystroke(&d, "", search_apps as i64).await;
    }
    println!("\nworst keystroke → painted: {worst:.1} ms");
    let pid = d.app_pid().expect("the app's process");
    print_memory(
        &format!("after searching, {search_apps} apps"),
        &bench::memory_tree(pid),
    );
    d.close().await;
}

/// A temp dir with `appdesk.db` holding `count` apps.
fn seeded(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let t = Instant::now();
    bench::seed(
        &dir.path().join("appdesk.db"),
        &dir.path().join("appdesk.key"),
        count,
    )
    .expect("seeding");
    eprintln!("seeded {count} apps in {:.1} s", t.elapsed().as_secs_f64());
    dir
}

/// Wall-clock milliseconds when the list was first painted.
async fn painted_at(d: &Desktop) -> f64 {
    let v = d
        .wait_js(
            "(() => { const m = performance.getEntriesByName('apps-list-painted')[0]; \
             return m ? performance.timeOrigin + m.startTime : null; })()",
        )
        .await;
    v.as_f64().expect("a time")
}

/// Types `q` into the search box (as one input event) and returns the times
/// to the matching results in the DOM and to the next frame, in ms.
async fn keystroke(d: &Desktop, q: &str, expected: i64) -> (f64, f64) {
    let script = r#"
const [q, expected, done] = arguments;
const input = document.getElementById('search');
const want = `${expected} ${expected === 1 ? 'app' : 'apps'}`;
const needle = q.trim().toLowerCase();
const ready = () => {
  if (document.getElementById('apps-list').dataset.query !== q) return false;
  if (document.getElementById('apps-count').textContent.trim() !== want) return false;
  const rows = [...document.querySelectorAll('.app-row[data-app-name]')];
  if (expected === 0) return rows.length === 0;
  return rows.length > 0 && rows.every(r => r.dataset.appName.toLowerCase().includes(needle));
};
const t0 = performance.now();
input.value = q;
input.dispatchEvent(new Event('input', { bubbles: true }));
const finish = () => {
  const dom = performance.now() - t0;
  requestAnimationFrame(() => setTimeout(() => done([dom, performance.now() - t0]), 0));
};
if (ready()) { finish(); return; }
const obs = new MutationObserver(() => { if (ready()) { obs.disconnect(); finish(); } });
obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
"#;
    let v = d
        .client
        .execute_async(script, vec![json!(q), json!(expected)])
        .await
        .expect("the keystroke script");
    (
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_f64().unwrap_or(f64::NAN),
    )
}

/// A bare WebKitGTK 4.1 window (python3-gi: no Tauri, no Appdesk) showing a
/// 30-line page, measured as the app is: what WebKitGTK itself costs here.
const WEBKIT_FLOOR_PAGE: &str = r#"
import gi
gi.require_version("Gtk", "3.0"); gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2
w = Gtk.Window(); w.set_default_size(1200, 800)
v = WebKit2.WebView(); w.add(v)
v.load_html("<h1>Hello</h1><ul>" + "".join(f"<li>app {i}</li>" for i in range(30)) + "</ul>", "about:blank")
w.connect("destroy", Gtk.main_quit); w.show_all(); Gtk.main()
"#;

async fn webkit_floor() {
    // The same renderer setting as Appdesk's, unless the caller chose one.
    let renderer = std::env::var("WEBKIT_DISABLE_DMABUF_RENDERER").unwrap_or_else(|_| "1".into());
    let mut child = std::process::Command::new("/usr/bin/python3")
        .args(["-c", WEBKIT_FLOOR_PAGE])
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", &renderer)
        .spawn()
        .expect("run /usr/bin/python3 (apt-get install python3-gi gir1.2-webkit2-4.1)");
    tokio::time::sleep(std::time::Duration::from_secs(8)).await;
    let memory = bench::memory_tree(child.id());
    let _ = child.kill();
    let _ = child.wait();
    print_memory(
        &format!("a bare WebKitGTK window, WEBKIT_DISABLE_DMABUF_RENDERER={renderer}"),
        &memory,
    );
}

fn print_memory(when: &str, memory: &[Memory]) {
    println!("\n## Resident memory, {when}");
    println!("| process | pid | RSS | PSS |");
    println!("|---|---|---|---|");
    for m in memory {
        println!(
            "| {} | {} | {:.1} MiB | {:.1} MiB |",
            m.name,
            m.pid,
            mib(m.rss_kib),
            mib(m.pss_kib)
        );
    }
    let rss: u64 = memory.iter().map(|m| m.rss_kib).sum();
    let pss: u64 = memory.iter().map(|m| m.pss_kib).sum();
    println!(
        "| **total** | | {:.1} MiB | {:.1} MiB |",
        mib(rss),
        mib(pss)
    );
    let others = bench::other_webkit_processes(memory);
    if others > 0 {
        println!(
            "\nNOT COMPARABLE: {others} other WebKit processes ran at the time and \
             shared WebKit's pages (lowering PSS); measure again on a quiet machine."
        );
    }
    println!("\n| PSS held by | MiB |");
    println!("|---|---|");
    for (i, part) in bench::PARTS.iter().enumerate() {
        let kib: u64 = memory.iter().map(|m| m.parts_kib[i]).sum();
        println!("| {part} | {:.1} |", mib(kib));
    }
    // The same, per process: which process a part's MiBs are in.
    println!(
        "\n| PSS held by, per process (MiB) | {} |",
        bench::PARTS.join(" | ")
    );
    println!("|---|{}", "---|".repeat(bench::PARTS.len()));
    for m in memory {
        let cells: Vec<String> = m
            .parts_kib
            .iter()
            .map(|k| format!("{:.1}", mib(*k)))
            .collect();
        println!("| {} ({}) | {} |", m.name, m.pid, cells.join(" | "));
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
