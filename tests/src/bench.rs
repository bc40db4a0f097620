//! What `desktop-bench` measures, apart from driving the window: seeding a
//! database with many apps, process start times and resident memory from
//! `/proc`.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use appdesk_core::{AppInput, Store, StoreOptions, TenantEntry};

const ADJECTIVES: &[&str] = &[
    "Rapid", "Blue", "Quiet", "Bright", "Solid", "Swift", "Green", "Prime", "North", "Clear",
    "Smart", "Urban", "Royal", "Fresh", "Lucky", "Silver",
];
const NOUNS: &[&str] = &[
    "Dispatch",
    "Billing",
    "Scheduler",
    "Invoices",
    "Payroll",
    "Tracker",
    "Inventory",
    "Estimates",
    "Reports",
    "Pricebook",
    "Marketing",
    "Timesheets",
    "Fleet",
    "Memberships",
];

/// Fills a new database at `db` with `count` created apps (1 tenant, 2 scopes
/// each; a tenth of them with a connection behind the latest version), in
/// batches of one transaction each.
pub fn seed(db: &Path, key_file: &Path, count: usize) -> appdesk_core::Result<()> {
    let store = Store::open(
        db,
        StoreOptions {
            key_file: Some(key_file.to_owned()),
            user: Some("bench".into()),
            catalog: None,
        },
    )?;
    let mut made = 0;
    while made < count {
        let n = (count - made).min(5_000);
        let batch: Vec<AppInput> = (made..made + n).map(app).collect();
        store.create_apps(&batch)?;
        made += n;
    }
    // Some connections and newer versions, so the counts columns have values.
    for i in (0..count).step_by(10).take(200) {
        let name = app(i).name;
        store.connect(&name, "1000000001", appdesk_core::Environment::Integration)?;
        store.set_scopes(&name, &["tn.crm.customers:rw".to_owned()])?;
    }
    Ok(())
}

fn app(i: usize) -> AppInput {
    let adjective = ADJECTIVES[i % ADJECTIVES.len()];
    let noun = NOUNS[(i / ADJECTIVES.len()) % NOUNS.len()];
    AppInput {
        name: format!("{adjective} {noun} {i:06}"),
        organization: format!("Org {}", i % 997),
        homepage_url: format!("https://org{}.example", i % 997),
        tenants: vec![TenantEntry::new("1000000001", "")],
        scopes: vec!["tn.crm.customers:r".into(), "tn.jpm.jobs:r".into()],
        ..AppInput::default()
    }
}

/// When process `pid` started, as wall-clock time (10 ms resolution).
pub fn process_start(pid: u32) -> Option<SystemTime> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let start_ticks: u64 = rest.split(' ').nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split(' ')
        .next()?
        .parse()
        .ok()?;
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let age = uptime - start_ticks as f64 / ticks_per_second;
    SystemTime::now().checked_sub(Duration::from_secs_f64(age.max(0.0)))
}

pub fn millis_since_epoch(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0
}

/// One process's resident memory: (name, RSS, PSS) in KiB, and its PSS by
/// what holds it (see [`PARTS`]).
#[derive(Debug, Clone)]
pub struct Memory {
    pub pid: u32,
    pub name: String,
    pub rss_kib: u64,
    pub pss_kib: u64,
    pub parts_kib: [u64; PARTS.len()],
}

/// What a process's memory is, by the mapping that holds it.
pub const PARTS: [&str; 5] = [
    "Mesa GL (llvmpipe, LLVM)",
    "WebKitGTK and JavaScriptCore code",
    "the appdesk-desktop binary",
    "other libraries",
    "heap, stacks, other anonymous",
];

fn part_of(mapping: &str) -> usize {
    let gl = [
        "libLLVM",
        "/dri/",
        "libgallium",
        "libGLX",
        "libEGL",
        "libGL.",
        "libglapi",
    ];
    if gl.iter().any(|g| mapping.contains(g)) {
        0
    } else if mapping.contains("libwebkit2gtk") || mapping.contains("libjavascriptcoregtk") {
        1
    } else if mapping.ends_with("/appdesk-desktop") {
        2
    } else if mapping.starts_with('/')
        && !mapping.starts_with("/SYSV")
        && !mapping.starts_with("/memfd")
    {
        3
    } else {
        4
    }
}

/// PSS in KiB by [`PARTS`], from `/proc/PID/smaps`.
fn parts(pid: u32) -> [u64; PARTS.len()] {
    let mut out = [0; PARTS.len()];
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return out;
    };
    let mut part = PARTS.len() - 1;
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            // "start-end perms offset dev inode [path]"
            part = part_of(words.nth(4).unwrap_or(""));
        } else if first == "Pss:" {
            out[part] += words.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        }
    }
    out
}

/// `pid` and all its descendants (the app, WebKit's web and network processes).
pub fn memory_tree(pid: u32) -> Vec<Memory> {
    let mut pids = vec![pid];
    let mut i = 0;
    while i < pids.len() {
        pids.extend(children(pids[i]));
        i += 1;
    }
    pids.into_iter().filter_map(memory).collect()
}

/// How many processes outside `tree` map WebKitGTK (another app's window, a
/// test's, a bare WebKit window): they share WebKit's pages with the tree,
/// which lowers its PSS, so a figure taken beside them is not comparable.
/// (WebKitWebDriver, which drives the window, maps no WebKit library.)
pub fn other_webkit_processes(tree: &[Memory]) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| tree.iter().all(|m| m.pid != *pid))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/maps")).is_ok_and(|m| maps_webkit(&m))
        })
        .count()
}

/// Whether a `/proc/PID/maps` text maps WebKitGTK's or JavaScriptCore's library.
fn maps_webkit(maps: &str) -> bool {
    maps.lines()
        .any(|l| l.contains("/libwebkit2gtk") || l.contains("/libjavascriptcoregtk"))
}

fn children(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| parent(*p) == Some(pid))
        .collect()
}

fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 2..].split(' ').nth(1)?.parse().ok()
}

fn memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |text: &str, key: &str| -> Option<u64> {
        text.lines()
            .find(|l| l.starts_with(key))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let name = status
        .lines()
        .next()?
        .trim_start_matches("Name:")
        .trim()
        .to_owned();
    let parts_kib = parts(pid);
    Some(Memory {
        pid,
        name,
        rss_kib: field(&status, "VmRSS:")?,
        pss_kib: parts_kib.iter().sum(),
        parts_kib,
    })
}

#[cfg(test)]
mod tests {
    use super::{maps_webkit, part_of};

    #[test]
    fn a_process_maps_webkit_only_with_its_libraries() {
        let web =
            "7f00-7f10 r-xp 0 fe:00 1 /usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0.19.9\n";
        let jsc = "7f00-7f10 r--p 0 fe:00 2 /usr/lib/libjavascriptcoregtk-4.1.so.0\n";
        let driver = "5500-5510 r-xp 0 fe:00 3 /usr/bin/WebKitWebDriver\n\
                      7f00-7f10 r-xp 0 fe:00 4 /usr/lib/x86_64-linux-gnu/libsoup-3.0.so.0\n";
        assert!(maps_webkit(web));
        assert!(maps_webkit(jsc));
        assert!(!maps_webkit(driver));
        assert!(!maps_webkit(""));
    }

    #[test]
    fn mappings_fall_into_parts() {
        assert_eq!(part_of("/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1"), 0);
        assert_eq!(part_of("/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so"), 0);
        assert_eq!(
            part_of("/usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0.19.9"),
            1
        );
        assert_eq!(part_of("/work/main/target/release/appdesk-desktop"), 2);
        assert_eq!(part_of("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0"), 3);
        assert_eq!(part_of("[heap]"), 4);
        assert_eq!(part_of(""), 4);
        assert_eq!(part_of("/SYSV00000000"), 4);
    }
}
