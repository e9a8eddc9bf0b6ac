#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fail on an include that points up the layers, or around in a circle.

Usage: check-includes.py [TOP]

The layers of src/ point down only: core < store < net < server, cli, app
(the last three side by side, none including another); print sits beside
net, on core and store, under cli and app (it draws, it does no SQL).  Checked:

- a local `#include "…"` of a header that lives in a layer above the
  including file's, or in a sibling program (server, cli, app);
- a system header a layer cannot have: core includes no SQLite, libsodium,
  libsoup, GTK, libadwaita or libsecret (no I/O, no SQL, no GTK); store no
  libsoup, GTK, libadwaita or libsecret; net no GTK, libadwaita or
  libsecret;
- a circle of local includes between the modules of core, and between
  those of app (with pages/ and sources/), a module being a .c with its .h
  (and its -private.h): cd-a.c includes cd-b.h while cd-b.c includes
  cd-a.h.  A circle means neither can be understood, built or tested
  without the other; break it by moving the shared declaration down into
  the lower module or into cd-types.h as a forward typedef.

Headers are found by name in src/, wherever they live, so a module may
move between subfolders of its layer without its includes changing.
"""

import os
import re
import sys

RANKS = {"core": 0, "store": 1, "print": 2, "net": 2, "server": 3, "cli": 3, "app": 3}
CYCLE_LAYERS = ("core", "app")
FORBIDDEN = {
    "core": ("sqlite3.h", "sodium", "libsoup/", "gtk/", "adwaita.h", "libsecret/"),
    "store": ("libsoup/", "gtk/", "adwaita.h", "libsecret/"),
    "net": ("gtk/", "adwaita.h", "libsecret/"),
    "print": ("sqlite3.h", "sodium", "libsoup/", "gtk/", "adwaita.h", "libsecret/"),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)


def layer_of(path):
    parts = path.split(os.sep)
    return parts[1] if len(parts) > 2 and parts[1] in RANKS else None


def module_of(path):
    stem = os.path.basename(path).rsplit(".", 1)[0]
    return stem[:-len("-private")] if stem.endswith("-private") else stem


def find_cycle(graph):
    """One circle of graph (a dict of sets), as a list of nodes, or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {node: WHITE for node in graph}
    stack = []

    def visit(node):
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt, BLACK) == GREY:
                return stack[stack.index(nxt):] + [nxt]
            if colour.get(nxt) == WHITE:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE:
            found = visit(node)
            if found:
                return found
    return None


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    sources = []
    for root, _dirs, names in os.walk(os.path.join(top, "src")):
        for name in names:
            if name.endswith((".c", ".h")):
                sources.append(os.path.relpath(os.path.join(root, name), top))
    sources.sort()
    where = {}
    for path in sources:
        where.setdefault(os.path.basename(path), []).append(path)

    bad = 0
    graphs = {layer: {} for layer in CYCLE_LAYERS}
    for path in sources:
        layer = layer_of(path)
        if layer is None:
            continue
        with open(os.path.join(top, path), encoding="utf-8") as f:
            text = f.read()
        for match in INCLUDE.finditer(text):
            kind, name = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            if kind == "<":
                if any(name.startswith(p) for p in FORBIDDEN.get(layer, ())):
                    print(f"not ok: {path}:{line}: {layer} includes <{name}>")
                    bad += 1
                continue
            targets = where.get(os.path.basename(name), [])
            if not targets:
                continue  # generated (config.h, cd-resources.h) or a system header
            target = targets[0]
            to = layer_of(target)
            if to is None:
                continue
            if RANKS[to] > RANKS[layer] or (RANKS[to] == RANKS[layer] and to != layer):
                print(f"not ok: {path}:{line}: {layer} includes {target} of {to}")
                bad += 1
            if layer in graphs and to == layer:
                a, b = module_of(path), module_of(target)
                if a != b:
                    graphs[layer].setdefault(a, set()).add(b)
                    graphs[layer].setdefault(b, set())
    for layer in CYCLE_LAYERS:
        # One circle at a time: print it, cut its last edge and look again.
        graph = graphs[layer]
        while True:
            cycle = find_cycle(graph)
            if cycle is None:
                break
            print(f"not ok: a circle of includes in {layer}: " + " -> ".join(cycle))
            bad += 1
            graph[cycle[-2]].discard(cycle[-1])
    if bad:
        print(f"not ok: {bad} includes against the layers")
        return 1
    print("ok: the layers point down only, with no circle in "
          + " or ".join(CYCLE_LAYERS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
