#!/usr/bin/env python3
"""Keep the cargo target caches under $HOME/.cache/venice from filling the disk.

The target dirs live outside the clone so that CI reruns are quick, which
also means nothing ever empties them: each change of a lock file or of a
command's feature set links new binaries next to the old ones. Run before
the builds of `make test`, it

1. drops `incremental/` (the Makefile turns CARGO_INCREMENTAL off);
2. keeps, in each profile, the three newest executables of each name
   (a lib's and a bin's tests and feature sets give one name several
   hashes; older ones belong to builds that no longer happen, and cargo
   relinks one that is needed after all);
3. empties a target dir still over its cap, or any over 1 GiB while the
   disk's free space is under the floor: a cold build beats a link that
   dies of a full disk half way through the test suite.

Usage: cache-guard.py [--cap-gb N] [--floor-gb N] TARGET_DIR...
"""
import argparse
import os
import re
import shutil
import stat
import sys

# cargo names artifacts `<name>-<16 hex digits of the metadata hash>`.
ARTIFACT = re.compile(r"^(?P<name>.+)-[0-9a-f]{16}$")
GB = 1 << 30


def tree_bytes(path):
    """Bytes used by the files under path, each hard-linked inode once."""
    seen, total = set(), 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                st = os.lstat(os.path.join(root, f))
            except FileNotFoundError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total


def parent(path):
    """The nearest existing directory above `path` (a fresh machine has no
    cache yet), for measuring its file system."""
    d = os.path.dirname(os.path.abspath(path))
    while not os.path.isdir(d):
        d = os.path.dirname(d)
    return d


def profile_dirs(target):
    """`debug`, `release`, ... and `<triple>/<profile>` for cross builds."""
    for entry in sorted(os.listdir(target)):
        base = os.path.join(target, entry)
        if not os.path.isdir(base):
            continue
        if os.path.isdir(os.path.join(base, "deps")):
            yield base
        else:
            for sub in sorted(os.listdir(base)):
                if os.path.isdir(os.path.join(base, sub, "deps")):
                    yield os.path.join(base, sub)


def prune_stale_executables(deps):
    """Deletes all but the three newest executables of each artifact name."""
    groups = {}
    for f in os.listdir(deps):
        m = ARTIFACT.match(f)
        if not m:
            continue
        path = os.path.join(deps, f)
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or not st.st_mode & 0o111:
            continue
        groups.setdefault(m.group("name"), []).append((st.st_mtime, path))
    removed = 0
    for versions in groups.values():
        versions.sort(reverse=True)
        for _mtime, path in versions[3:]:
            os.remove(path)
            for side in (path + ".d", path + ".dwp"):
                if os.path.exists(side):
                    os.remove(side)
            removed += 1
    return removed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap-gb", type=float, default=40, help="largest size kept per target dir")
    ap.add_argument("--floor-gb", type=float, default=12, help="least free disk space to start with")
    ap.add_argument("targets", nargs="+")
    args = ap.parse_args()

    for target in args.targets:
        if not os.path.isdir(target):
            continue
        removed = 0
        for profile in profile_dirs(target):
            shutil.rmtree(os.path.join(profile, "incremental"), ignore_errors=True)
            removed += prune_stale_executables(os.path.join(profile, "deps"))
        size = tree_bytes(target)
        free = shutil.disk_usage(target).free
        note = f"cache-guard: {target}: {size / GB:.1f} GiB after dropping {removed} stale binaries, {free / GB:.1f} GiB free"
        if size > args.cap_gb * GB or (free < args.floor_gb * GB and size > GB):
            shutil.rmtree(target, ignore_errors=True)
            free = shutil.disk_usage(parent(target)).free
            note += f"; over the limits, emptied ({free / GB:.1f} GiB free now)"
        print(note, file=sys.stderr)

    free = shutil.disk_usage(parent(args.targets[0])).free
    if free < args.floor_gb * GB / 2:
        print(f"cache-guard: only {free / GB:.1f} GiB free on disk; the build may run out of space", file=sys.stderr)


if __name__ == "__main__":
    main()
