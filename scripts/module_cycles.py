#!/usr/bin/env python3
"""Find import loops between sibling modules of src/.

Each file is a module (`src/page/html.rs` is `page::html`, a `mod.rs` is
its folder). A reference `crate::a::b::Item`, `super::x` or `self::x` in a
file's code (its `#[cfg(test)] mod tests` left out) is an edge to the
longest module path it names. For every folder, edges between its children
(a child's whole subtree counts as the child) form a graph; a strongly
connected component of more than one child is a loop. A child using its
parent's own items (`super::collapse` from a `mod.rs`) is not a sibling
edge.

    scripts/module_cycles.py [SRC]      # exit 1 and list the loops, if any
"""
import re
import sys
from pathlib import Path

PATH = re.compile(r"\b(crate|super|self)((?:::\w+)+)")
USE_GROUP = re.compile(r"\buse\s+((?:crate|super|self)(?:::\w+)*)::\{([^;]*)\};", re.S)


def module_of(src, f):
    parts = list(f.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def code_of(text):
    cut = re.search(r"#\[cfg\(test\)\]\s*mod tests\s*\{", text)
    return text[: cut.start()] if cut else text


def resolve(base, here, modules):
    head, rest = base[0], base[1:]
    path = {"crate": (), "self": here, "super": here[:-1]}[head]
    for p in rest:
        if path + (p,) in modules:
            path = path + (p,)
        else:
            break
    return path


def main():
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    files = [f for f in src.rglob("*.rs") if f.name != "tests.rs"]
    modules = {module_of(src, f) for f in files}
    edges = set()
    for f in files:
        here = module_of(src, f)
        code = code_of(f.read_text(encoding="utf-8"))
        refs = []
        for m in USE_GROUP.finditer(code):
            for item in re.split(r"[,\s]+", m.group(2)):
                item = item.split("::")[0].strip("{} ")
                if item and item != "self":
                    refs.append(m.group(1).split("::") + [item])
        for m in PATH.finditer(code):
            refs.append([m.group(1)] + m.group(2).strip(":").split("::"))
        for ref in refs:
            target = resolve(ref, here, modules)
            if target != here:
                edges.add((here, target))
    loops = []
    for folder in sorted(modules):
        children = {m[len(folder)] for m in modules if len(m) > len(folder) and m[: len(folder)] == folder}
        graph = {c: set() for c in children}
        for a, b in edges:
            if len(a) > len(folder) and len(b) > len(folder) and a[: len(folder)] == folder == b[: len(folder)]:
                ca, cb = a[len(folder)], b[len(folder)]
                if ca != cb:
                    graph[ca].add(cb)
        for comp in sccs(graph):
            if len(comp) > 1:
                loops.append(("::".join(folder) or "crate", sorted(comp)))
    for folder, comp in loops:
        print(f"loop in {folder}: {' <-> '.join(comp)}")
    print(f"{len(modules)} modules, {len(edges)} import edges, {len(loops)} loops")
    sys.exit(1 if loops else 0)


def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in graph:
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    main()
