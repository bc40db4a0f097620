#!/usr/bin/env python3
"""The file work of scripts/release: collect the bundles the Tauri CLI made, check
that each packaged binary carries its bundle type, and write latest.json (one per
platform, or one composed from several platforms' in CI).

Why a bundle type: the updater looks up `{os}-{arch}-{bundle_type}` in latest.json,
so a .deb install gets a .deb, an .rpm install an .rpm. The Tauri bundler stamps
the type into the binary it packs by patching the string
`__TAURI_BUNDLE_TYPE_VAR_UNK`; a binary that still holds it would fall back to a
bare `linux-x86_64` key, which this manifest deliberately does not have.
"""

import argparse
import datetime
import glob
import gzip
import io
import json
import lzma
import os
import platform
import shutil
import struct
import subprocess
import sys
import tarfile
import urllib.parse

UNSTAMPED = b"__TAURI_BUNDLE_TYPE_VAR_UNK"
STAMP = {"deb": b"__TAURI_BUNDLE_TYPE_VAR_DEB", "rpm": b"__TAURI_BUNDLE_TYPE_VAR_RPM"}
BINARY = "appdesk-desktop"


def die(msg):
    print(f"scripts/release: {msg}", file=sys.stderr)
    sys.exit(1)


def decompress(data):
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True).stdout
    return data


def deb_binary(path):
    """The packaged binary of a .deb (an ar archive holding data.tar.*)."""
    data = open(path, "rb").read()
    if not data.startswith(b"!<arch>\n"):
        die(f"{path} is not a .deb (no ar header)")
    pos = 8
    while pos + 60 <= len(data):
        name = data[pos:pos + 16].decode().strip().rstrip("/")
        size = int(data[pos + 48:pos + 58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size % 2)
        if name.startswith("data.tar"):
            tar = tarfile.open(fileobj=io.BytesIO(decompress(body)))
            for m in tar.getmembers():
                if m.isfile() and m.name.endswith("/bin/" + BINARY):
                    return tar.extractfile(m).read()
    die(f"{path} holds no usr/bin/{BINARY}")


def rpm_binary(path):
    """The packaged binary of an .rpm: lead, signature header, header, cpio payload."""
    data = open(path, "rb").read()
    if data[:4] != b"\xed\xab\xee\xdb":
        die(f"{path} is not an .rpm (no lead)")
    pos = 96
    for aligned in (True, False):
        if data[pos:pos + 3] != b"\x8e\xad\xe8":
            die(f"{path}: damaged rpm header")
        nindex, hsize = struct.unpack(">II", data[pos + 8:pos + 16])
        pos += 16 + nindex * 16 + hsize
        if aligned:
            pos += (8 - pos % 8) % 8
    payload = decompress(data[pos:])
    i = 0
    while i + 110 <= len(payload):
        if payload[i:i + 6] not in (b"070701", b"070702"):
            break
        fields = [int(payload[i + 6 + 8 * k:i + 14 + 8 * k], 16) for k in range(13)]
        filesize, namesize = fields[6], fields[11]
        name_end = i + 110 + namesize
        name = payload[i + 110:name_end - 1].decode()
        start = name_end + (4 - name_end % 4) % 4
        end = start + filesize
        if name.endswith("/bin/" + BINARY):
            return payload[start:end]
        if name == "TRAILER!!!":
            break
        i = end + (4 - end % 4) % 4
    die(f"{path} holds no usr/bin/{BINARY}")


def check_stamp(kind, path, binary):
    if UNSTAMPED in binary or STAMP[kind] not in binary:
        die(f"{os.path.basename(path)}: the binary inside was not stamped with its bundle type "
            f"({kind}); the updater could not tell which payload it can install")
    print(f"bundle type stamped: {os.path.basename(path)} ({kind})")


def arch():
    m = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(m, m)


def one(pattern):
    found = sorted(glob.glob(pattern))
    if len(found) != 1:
        die(f"expected one file like {pattern}, found {len(found)}: {found}")
    return found[0]


def collect(a):
    bundles = a.bundles.split(",")
    platforms = {}
    v = a.version
    plan = {
        # kind: (file pattern under bundle dir, updater keys)
        "deb": (f"deb/*_{v}_*.deb", [f"linux-{arch()}-deb"]),
        "rpm": (f"rpm/*-{v}-*.rpm", [f"linux-{arch()}-rpm"]),
        "appimage": (f"appimage/*_{v}_*.AppImage", [f"linux-{arch()}-appimage"]),
        "nsis": (f"nsis/*_{v}_*-setup.exe", [f"windows-{arch()}-nsis"]),
        "msi": (f"msi/*_{v}_*.msi", [f"windows-{arch()}-msi"]),
        # A universal .app serves both Mac architectures; the updater's type is "app".
        "app": ("macos/*.app.tar.gz", ["darwin-aarch64-app", "darwin-x86_64-app"]),
        "dmg": (f"dmg/*_{v}_*.dmg", []),
    }
    for kind in bundles:
        pattern, keys = plan[kind]
        path = one(os.path.join(a.bundle_dir, pattern))
        if kind in STAMP:
            check_stamp(kind, path, deb_binary(path) if kind == "deb" else rpm_binary(path))
        name = os.path.basename(path)
        shutil.copy2(path, os.path.join(a.out, name))
        if not keys:
            continue
        sig_path = path + ".sig"
        if not os.path.isfile(sig_path):
            die(f"{name} has no .sig: is bundle.createUpdaterArtifacts true and "
                "TAURI_SIGNING_PRIVATE_KEY set?")
        shutil.copy2(sig_path, os.path.join(a.out, name + ".sig"))
        signature = open(sig_path).read().strip()
        for key in keys:
            url = a.base_url.rstrip("/") + "/" + urllib.parse.quote(name)
            platforms[key] = {"signature": signature, "url": url}
    manifest = {
        "version": v,
        "notes": a.notes,
        "pub_date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "platforms": platforms,
    }
    with open(os.path.join(a.out, "latest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def compose(out, fragments):
    merged = None
    for path in fragments:
        m = json.load(open(path))
        if merged is None:
            merged = m
            continue
        if m["version"] != merged["version"]:
            die(f"{path} is version {m['version']}, the others {merged['version']}")
        for key, entry in m["platforms"].items():
            if key in merged["platforms"] and merged["platforms"][key] != entry:
                die(f"{key} appears twice with different payloads ({path})")
            merged["platforms"][key] = entry
    with open(out, "w") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    print(f"{out}: {', '.join(sorted(merged['platforms']))}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "compose":
        compose(sys.argv[2], sys.argv[3:])
        return
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["collect"])
    p.add_argument("--bundle-dir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--base-url", required=True)
    p.add_argument("--notes", required=True)
    p.add_argument("--bundles", required=True)
    collect(p.parse_args())


if __name__ == "__main__":
    main()
