"""Benchmark: docgen's fast engine against plain docxtpl, per document and in `batch` end to end.

    python benchmarks/batch.py --towns 1000            # the figures the README quotes (with the
                                                       # "speed" extra installed: ISA-L's deflate)
    python benchmarks/batch.py --towns 100 --jobs 2    # a quicker look

It generates N towns from the examples in data/ (names and figures varied), then
1. renders a sample of them in this process with both engines — the same template and contexts,
   the engines taking turns every few documents — and prints each engine's median ms per document,
   the ratio, and whether the outputs are equal (every member's canonical XML, and docgen's
   content stamp);
2. runs `docgen.batch.batch` on all N towns, once per engine and -j value, each in a fresh process
   timed from its start to the summary workbook written, and prints ms/doc, docs/s and peak RSS;
   the fast engine also runs on N/10 towns, for the memory comparison; the outputs of every run are
   compared with the first one's.
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.context import build_context  # noqa: E402
from docgen.engine import compile_template, render_document  # noqa: E402
from docgen.loading import load  # noqa: E402
from docgen.output import CUSTOM_PART  # noqa: E402
from docgen.templates import default_template  # noqa: E402

try:
    import resource
except ImportError:  # Windows: no peak RSS figures
    resource = None  # type: ignore[assignment]

_CHARS = "东西南北青红白金银石柳杨桃李梅兰竹松河湖山川田禾丰安平康宁泰兴旺新永长乐福寿"


# -- the towns -----------------------------------------------------------------------------------------

def town_name(i: int, suffix: str) -> str:
    """A distinct two- or three-character town name for every i."""
    k = len(_CHARS)
    first, second, third = i % k, (i // k) % k, i // (k * k)
    name = _CHARS[first] + _CHARS[(second + first + 1) % k]
    if third:
        name += _CHARS[third % k]
    return name + suffix


def generate(count: int, folder: Path) -> list[Path]:
    """``count`` data files in ``folder``: the examples with other names and scaled figures."""
    examples = sorted((ROOT / "data").glob("*.yaml"))
    texts = [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in examples]
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20241120)
    paths = []
    for i in range(count):
        source, data = texts[i % len(texts)]
        old = data["town"]
        suffix = next(s for s in ("街道", "镇", "乡", "") if old.endswith(s))
        new = town_name(i, suffix)
        scale, drift = rng.uniform(0.7, 1.3), rng.uniform(0.95, 1.05)
        town = json.loads(json.dumps(data, default=str, ensure_ascii=False).replace(old, new))
        if "date" in data:
            town["date"] = data["date"]
        for indicator in town.get("indicators", {}).values():
            if indicator.get("unit") == "%":
                continue
            for key in ("value", "previous", "forecast", "target"):
                if isinstance(indicator.get(key), int | float):
                    factor = scale * (drift if key == "previous" else 1)
                    value = indicator[key] * factor
                    indicator[key] = round(value) if isinstance(indicator[key], int) else round(value, 1)
        path = folder / f"{i:05d}-{source.stem}.yaml"
        path.write_text(yaml.safe_dump(town, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


# -- comparing outputs ---------------------------------------------------------------------------------

def canonical(docx: bytes | Path) -> dict[str, bytes]:
    """Each member of a package, as C14N when it is XML; an embedded workbook (a chart's) by its
    members but its creation time, which it records to the second."""
    from lxml import etree
    source = io.BytesIO(docx) if isinstance(docx, bytes) else docx
    with zipfile.ZipFile(source) as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    result = {}
    for name, data in members.items():
        if name.endswith((".xml", ".rels")):
            result[name] = etree.tostring(etree.fromstring(data), method="c14n")
        elif name.endswith(".xlsx"):
            inner = canonical(data)
            inner.pop("docProps/core.xml", None)
            result[name] = b"\0".join(n.encode() + b"\0" + d for n, d in inner.items())
        else:
            result[name] = data
    return result


def same(a: bytes | Path, b: bytes | Path) -> bool:
    """The same members in the same order, with the same canonical XML; the same stamp, unless a
    chart's workbook (dated to the second) is part of what it hashes."""
    first, second = canonical(a), canonical(b)
    if any(name.endswith(".xlsx") for name in first):
        first.pop(CUSTOM_PART, None)
        second.pop(CUSTOM_PART, None)
    return list(first) == list(second) and first == second


# -- 1. one process, both engines ----------------------------------------------------------------------

def per_document(paths: list[Path], template: Path, *, charts: bool = True, rounds: int = 3,
                 block: int = 10) -> dict[str, Any]:
    """Each engine renders every context ``rounds`` times, in blocks of ``block`` contexts that take
    turns — the other engine's block of the same contexts next, the order of the two alternating —
    so that a slower spell of a shared machine, which lasts seconds to minutes, falls on both alike
    (a loop of a hundred documents per engine left the fast engine's 0.3 s to one spell). Garbage is
    collected before each block, so neither engine's collections are timed in the other's. Each
    engine's median is over all its timings; then the outputs are compared pairwise.

    Without ``charts``, chart values are left empty: what the engines cost without docgen.charts.
    """
    contexts = [build_context(load(p)) for p in paths]
    if not charts:
        from docgen.charts import ChartSpec
        contexts = [{k: "" if isinstance(v, ChartSpec) else v for k, v in c.items()} for c in contexts]
    start = time.perf_counter()
    compiled = compile_template(template)
    compile_ms = (time.perf_counter() - start) * 1000
    times: dict[str, list[float]] = {"docxtpl": [], "fast": []}
    outputs: dict[str, list[bytes]] = {"docxtpl": [], "fast": []}
    for round_number in range(rounds):
        for engine in outputs:
            outputs[engine] = []
        for turn, first in enumerate(range(0, len(contexts), block), round_number):
            group = contexts[first:first + block]
            order = ("docxtpl", "fast") if turn % 2 == 0 else ("fast", "docxtpl")
            for engine in order:
                gc.collect()
                for context in group:
                    start = time.perf_counter()
                    docx = render_document(template, context, engine)  # type: ignore[arg-type]
                    times[engine].append((time.perf_counter() - start) * 1000)
                    outputs[engine].append(docx)
    equal = sum(map(same, outputs["docxtpl"], outputs["fast"]))
    plain, fast = statistics.median(times["docxtpl"]), statistics.median(times["fast"])
    return {"documents": len(contexts), "docxtpl_ms": plain, "fast_ms": fast, "ratio": plain / fast,
            "compile_ms": compile_ms, "equal": equal, "fallback": compiled.fallback}


# -- 2. batch end to end, in a fresh process ---------------------------------------------------------

def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MB: VmHWM where /proc has it (ru_maxrss would count
    the memory of the parent it was forked from before exec), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    if resource is None:
        return None
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _measured(render: Any) -> Any:
    """A worker's renderer that leaves its peak RSS in $DOCGEN_BENCH_RSS/<pid> (after each town that
    raised it)."""
    folder = Path(os.environ["DOCGEN_BENCH_RSS"])

    noted: list[float | None] = [None]

    def measured(data: Any, target: Path) -> Any:
        written = render(data, target)
        peak = peak_rss_mb()
        if peak is not None and peak != noted[0]:  # written when it grows: a few times a run
            (folder / str(os.getpid())).write_text(f"{peak}", encoding="utf-8")
            noted[0] = peak
        return written
    return measured


def measured(template: Path, force: bool, engine: str) -> Any:
    """docgen.batch's own per-worker renderer on ``engine``, leaving the worker's peak RSS."""
    from docgen.batch import standard_renderer
    return _measured(standard_renderer(template, force, engine))  # type: ignore[arg-type]


def child(args: argparse.Namespace) -> None:
    """Run one batch and print its figures as JSON (the parent times the whole process)."""
    from docgen.batch import batch
    rss = Path(args.out + ".rss")
    rss.mkdir(parents=True, exist_ok=True)
    os.environ["DOCGEN_BENCH_RSS"] = str(rss)
    result = batch([Path(p) for p in args.sources], Path(args.template), Path(args.out),
                   jobs=args.child_jobs, engine=args.child_engine,
                   renderer=functools.partial(measured, engine=args.child_engine))
    figures: dict[str, Any] = {"done": result.count("done"), "failed": result.count("failed"),
                               "summary": str(result.summary) if result.summary else None,
                               "errors": [r.error for r in result.results if r.error][:3],
                               "rss_parent_mb": peak_rss_mb()}
    workers = [float(p.read_text(encoding="utf-8")) for p in rss.iterdir()]
    if workers and args.child_jobs > 1:
        figures["rss_workers_mb"] = max(workers)
    print(json.dumps(figures))


def child_env() -> dict[str, str]:
    """The batch processes' environment: with Python's bytecode cache, as an installed docgen runs
    (pip compiles a package as it installs it). Where PYTHONDONTWRITEBYTECODE is set (this project's
    CI machines set it), each run would compile docgen's sources again: about 0.1 s."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def warm_bytecode() -> None:
    """Write the bytecode of docgen and of this script once, before any timed run."""
    subprocess.run([sys.executable, "-c", "import docgen.batch, docgen.api, docgen.summary, runpy"],
                   check=True, cwd=ROOT, env=child_env())
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
                    "import batch"], check=True, cwd=ROOT, env=child_env())


def run_batch(folder: Path, count: int, engine: str, jobs: int, template: Path, out: Path) \
        -> dict[str, Any]:
    files = sorted(folder.glob("*.yaml"))[:count]
    listing = out.parent / f"{out.name}.sources"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    command = [sys.executable, __file__, "--child", "--child-engine", engine, "--child-jobs",
               str(jobs), "--template", str(template), "--out", str(out), "--sources-file",
               str(listing)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT,
                          env=child_env())
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the batch failed:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures.update(engine=engine, jobs=jobs, towns=count, seconds=seconds,
                   ms_per_doc=seconds * 1000 / count, docs_per_s=count / seconds, out=str(out))
    return figures


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from docgen.engine import zipwrite
    deflate = "ISA-L" if zipwrite.FAST[0].__name__.startswith("isal") else \
        "zlib (pip install -e '.[speed]' for ISA-L)"
    return (f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}, {platform.system()}; "
            f"drafts deflated by {deflate}")


def positive(text: str) -> int:
    """An argument that must be a whole number above zero."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=1000, help="towns to generate (default 1000)")
    parser.add_argument("--jobs", default="1,2", help="-j values for the batch runs (default 1,2)")
    parser.add_argument("--engines", default="fast,docxtpl", help="engines for the batch runs")
    parser.add_argument("--sample", type=int, default=100,
                        help="towns rendered by both engines in this process (default 100)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the per-document loops (default 3)")
    parser.add_argument("--block", type=positive, default=10,
                        help="documents each engine renders in turn with the other, the order of the "
                             "two alternating (default 10)")
    parser.add_argument("--batch-rounds", type=int, default=3,
                        help="runs of each fast-engine batch, the -j values' order alternating; the "
                             "median is reported (default 3; docxtpl's batches run once)")
    parser.add_argument("--workdir", type=Path, help="keep the towns and outputs here")
    parser.add_argument("--template", type=Path, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-engine", help=argparse.SUPPRESS)
    parser.add_argument("--child-jobs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--sources-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    template = args.template or default_template()
    if args.child:
        args.sources = Path(args.sources_file).read_text(encoding="utf-8").splitlines()
        child(args)
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # a copy: every run renders the same template even if templates/ is rebuilt meanwhile
    template = Path(shutil.copy2(template, work / "template.docx"))
    print(f"machine: {machine()}")
    print(f"template: {template}; work folder: {work}")
    folder = work / "towns"
    paths = generate(args.towns, folder)
    print(f"generated {len(paths)} towns from {len(list((ROOT / 'data').glob('*.yaml')))} examples")

    sample = paths[:min(args.sample, len(paths))]
    one = per_document(sample, template, rounds=args.rounds, block=args.block)
    print(f"\n1. one process, {one['documents']} documents x {args.rounds} rounds, same template and "
          f"contexts, the engines taking turns every {args.block} documents:")
    for label, figures in (("", one), (" (charts left empty)", per_document(
            sample, template, charts=False, rounds=args.rounds, block=args.block))):
        print(f"   docxtpl {figures['docxtpl_ms']:.2f} ms/doc, fast {figures['fast_ms']:.2f} ms/doc "
              f"(median), ratio {figures['ratio']:.1f}x{label}; template compiled in "
              f"{figures['compile_ms']:.0f} ms; outputs equal: {figures['equal']}/"
              f"{figures['documents']}"
              + (f"; FAST ENGINE FELL BACK: {figures['fallback']}" if figures["fallback"] else ""))

    try:
        import docgen.batch  # noqa: F401
    except ImportError:
        print("\n2. docgen.batch is not available: no batch runs")
        return
    runs = []
    warm_bytecode()
    print(f"\n2. batch end to end (process start to 汇总表.xlsx written), {args.towns} towns, "
          "with Python's bytecode cache:")
    plans = [(engine, int(j), args.towns) for engine in args.engines.split(",")
             for j in args.jobs.split(",")]
    if "fast" in args.engines.split(",") and args.towns >= 20:
        plans.append(("fast", max(int(j) for j in args.jobs.split(",")), args.towns // 10))
    # the fast engine's runs taken in turns, so that the machine's drift touches every -j alike
    fast = [plan for plan in plans if plan[0] == "fast"]
    schedule = [(plan, r) for r in range(max(1, args.batch_rounds))
                for plan in (fast if r % 2 == 0 else fast[::-1])]
    schedule += [(plan, 0) for plan in plans if plan[0] != "fast"]
    taken: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    for (engine, jobs, count), r in schedule:
        figures = run_batch(folder, count, engine, jobs, template,
                            work / (f"out-{engine}-j{jobs}-{count}" + (f"-r{r}" if r else "")))
        taken.setdefault((engine, jobs, count), []).append(figures)
        rss = ""
        if figures.get("rss_parent_mb"):
            rss = f", peak RSS {figures['rss_parent_mb']:.0f} MB"
            if figures.get("rss_workers_mb"):
                rss += f" (+ {figures['rss_workers_mb']:.0f} MB the largest worker)"
        print(f"   {engine:7s} -j {jobs} {count:5d} towns: {figures['seconds']:6.2f} s, "
              f"{figures['ms_per_doc']:6.2f} ms/doc, {figures['docs_per_s']:6.1f} docs/s{rss}; "
              f"done {figures['done']}, failed {figures['failed']}"
              + (f" {figures['errors']}" if figures["failed"] else ""))
    for plan in plans:
        taken_runs = taken[plan]
        median = dict(taken_runs[0])  # the first run's outputs are the ones compared
        for key in ("seconds", "rss_parent_mb", "rss_workers_mb"):
            if all(run.get(key) for run in taken_runs):
                median[key] = statistics.median(run[key] for run in taken_runs)
        median.update(ms_per_doc=median["seconds"] * 1000 / plan[2], docs_per_s=plan[2] / median["seconds"])
        runs.append(median)
        if len(taken_runs) > 1:
            each = ", ".join(f"{run['seconds']:.2f}" for run in taken_runs)
            print(f"   {plan[0]:7s} -j {plan[1]} {plan[2]:5d} towns, median of {len(taken_runs)}: "
                  f"{median['seconds']:6.2f} s ({each})")

    full = [r for r in runs if r["towns"] == args.towns]
    reference = Path(full[0]["out"])
    for run in full[1:]:
        names = sorted(p.name for p in reference.glob("*.docx"))
        equal = sum(same(reference / n, Path(run["out"]) / n) for n in names)
        print(f"   outputs of {run['engine']} -j {run['jobs']} equal to {full[0]['engine']} -j "
              f"{full[0]['jobs']}: {equal}/{len(names)}")

    def find(engine: str, jobs: int, count: int) -> dict[str, Any] | None:
        return next((r for r in runs if (r["engine"], r["jobs"], r["towns"]) == (engine, jobs, count)),
                    None)

    print("\n3. against the targets:")
    print(f"   fast / docxtpl per document, one process: {one['ratio']:.1f}x (target >= 20x)")
    for engine in args.engines.split(","):
        j1, j2 = find(engine, 1, args.towns), find(engine, 2, args.towns)
        if j1 and j2:
            print(f"   {engine}: -j 2 / -j 1 on {args.towns} towns: {j1['seconds'] / j2['seconds']:.2f}x"
                  + (" (target >= 1.6x)" if engine == "fast" else ""))
    fast_all = [r for r in runs if r["engine"] == "fast"]
    big = max(fast_all, key=lambda r: (r["towns"], r["jobs"]), default=None)
    small = next((r for r in fast_all if r["towns"] == args.towns // 10 and big and
                  r["jobs"] == big["jobs"]), None)
    if big and small:
        for key, who in (("rss_parent_mb", "main process"), ("rss_workers_mb", "largest worker")):
            if big.get(key) and small.get(key):
                print(f"   peak RSS, {who}, {big['towns']} vs {small['towns']} towns: {big[key]:.0f} vs "
                      f"{small[key]:.0f} MB, {100 * (big[key] / small[key] - 1):+.1f}% (target within "
                      "10%)")
    j2 = find("fast", 2, args.towns)
    if j2:
        print(f"   fast -j 2, {args.towns} towns end to end: {j2['seconds']:.2f} s (target < 5 s for 1000)")


if __name__ == "__main__":
    main()
