#!/usr/bin/env python3
"""Dev harness for the template tree: renders templates/ from a Plan fixture the way the Rust
render engine does (same delimiters, strict undefined, path expansion), then checks the result
with the real tools.

    python3 dev/harness.py render OUT [--fixture dev/fixture.json]
    python3 dev/harness.py check  OUT [--fixture dev/fixture.json]   # render + every check

Needs jinja2 and PyYAML (pip). CW_ENGINE=minijinja renders with the minijinja Python binding
(pip install minijinja), i.e. the Rust engine's own filters and semantics. Tools are looked up in $CW_TOOLS (default /work/main/.tools/bin):
helm3, helm4, kubernetes-validate, checkov. A missing tool is reported and skipped.

Only a stand-in for the Rust engine: `toyaml` here is PyYAML's safe_dump, `tojson` is
json.dumps(ensure_ascii=False); the Rust side formats differently but must parse the same.
"""

import argparse
import copy
import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
TOOLS = Path(os.environ.get("CW_TOOLS", "/work/main/.tools/bin"))


# --------------------------------------------------------------------------- rendering

def toyaml(value):
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=False, allow_unicode=True,
                          width=10**6).rstrip("\n")


def make_env():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        block_start_string="[%", block_end_string="%]",
        variable_start_string="[[", variable_end_string="]]",
        comment_start_string="[#", comment_end_string="#]",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["tojson"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["toyaml"] = toyaml
    env.filters["items"] = lambda m: list(m.items())
    return env


def values_table(base, prefix=""):
    """Every leaf of the base values: scalars, lists and string maps (the Rust side takes the
    descriptions from the schema; here they are placeholders)."""
    string_maps = {"env", "podAnnotations", "podLabels", "annotations"}
    rows = []
    for key, value in base.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and key not in string_maps:
            rows += values_table(value, path + ".")
        else:
            rows.append({"key": path, "default": json.dumps(value, ensure_ascii=False),
                         "description": f"({path} | description from the schema)"})
    return rows


def make_minijinja_env():
    """The Python binding of the Rust engine itself (pip install minijinja): minijinja's own
    tojson, indent, items; strict undefined; no Python compatibility methods."""
    import minijinja

    def load(name):
        path = TEMPLATES / name
        return path.read_text() if path.is_file() else None

    env = minijinja.Environment(
        loader=load,
        block_start_string="[%", block_end_string="%]",
        variable_start_string="[[", variable_end_string="]]",
        comment_start_string="[#", comment_end_string="#]",
        undefined_behavior="strict",
        keep_trailing_newline=True,
        pycompat=False,
        filters={"toyaml": toyaml},
        # minijinja's default escapes by file name (.yaml.j2 → JSON escaping): chartwright
        # turns auto-escaping off.
        auto_escape_callback=lambda name: False,
    )

    class Env:
        def get_template(self, name):
            class T:
                def render(self, **ctx):
                    return env.render_template(name, **ctx)
            return T()
    return Env()


ENGINE = os.environ.get("CW_ENGINE", "jinja2")


def render(plan, out):
    env = make_minijinja_env() if ENGINE == "minijinja" else make_env()
    if out.exists():
        shutil.rmtree(out)
    common = {k: plan[k] for k in
              ("app", "generator_version", "contract_version", "environments", "services",
               "backing", "compose")}
    written = []
    for src in sorted(TEMPLATES.rglob("*")):
        rel = src.relative_to(TEMPLATES)
        if src.is_dir() or rel.parts[0] == "_partials":
            continue
        parts = rel.parts
        services = plan["services"] if any("__service__" in p for p in parts) else [None]
        envs = plan["environments"] if any("__env__" in p for p in parts) else [None]
        for svc in services:
            for e in envs:
                ctx = dict(common)
                dest = str(rel)
                if svc is not None:
                    ctx["service"] = svc
                    ctx["values_table"] = values_table(svc["base"])
                    dest = dest.replace("__service__", svc["name"])
                if e is not None:
                    ctx["env"] = e
                    dest = dest.replace("__env__", e["name"])
                if svc is not None and e is not None:
                    se = next(x for x in svc["environments"] if x["env"] == e["name"])
                    ctx["values"] = se["values"]
                    ctx["overrides"] = se["overrides"]
                target = out / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                if dest.endswith(".j2"):
                    target = target.with_name(target.name[:-3])
                    text = env.get_template(rel.as_posix()).render(**ctx)
                    target.write_text(text)
                else:
                    shutil.copyfile(src, target)
                written.append(target.relative_to(out))
    return written


# --------------------------------------------------------------------------- checks

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


def ok(msg):
    print("ok:  ", msg)


@functools.lru_cache(maxsize=None)
def tool(name):
    p = TOOLS / name
    if p.exists() and os.access(p, os.X_OK):
        try:
            subprocess.run([str(p), "--help"], capture_output=True, timeout=120)
            return str(p)
        except OSError:
            return None
    return None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def merge(base, over):
    r = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(r.get(k), dict):
            r[k] = merge(r[k], v)
        else:
            r[k] = copy.deepcopy(v)
    return r


def docs(text):
    return [d for d in yaml.safe_load_all(text) if d is not None]


def normalise_helm(objs):
    """helm template output → what k8s/<env>/<svc>.yaml must equal: no test hooks, no
    helm.sh/chart label, managed-by chartwright."""
    out = []
    for o in objs:
        ann = (o.get("metadata") or {}).get("annotations") or {}
        if ann.get("helm.sh/hook") == "test":
            continue
        o = copy.deepcopy(o)

        def fix(labels):
            if labels is None:
                return
            labels.pop("helm.sh/chart", None)
            if labels.get("app.kubernetes.io/managed-by") == "Helm":
                labels["app.kubernetes.io/managed-by"] = "chartwright"

        fix(o["metadata"].get("labels"))
        tmpl = (o.get("spec") or {}).get("template")
        if tmpl:
            fix(tmpl["metadata"].get("labels"))
        out.append(o)
    return out


def first_diff(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'helm' if k in a else 'k8s'}"
            d = first_diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def check(plan, out):
    written = render(plan, out)
    ok(f"rendered {len(written)} files into {out}")
    helms = [h for h in ("helm3", "helm4") if tool(h)]
    for missing in {"helm3", "helm4"} - set(helms):
        fail(f"{missing} not available in {TOOLS}")
    kv = tool("kubernetes-validate")
    checkov = tool("checkov")
    reports = out / "_reports"
    reports.mkdir()

    for svc in plan["services"]:
        name = svc["name"]
        chart = out / "charts" / name
        # values.yaml must parse back to the base values, values-<env>.yaml to the overrides.
        parsed = yaml.safe_load((chart / "values.yaml").read_text())
        if parsed != svc["base"]:
            fail(f"{name}: values.yaml != base: {first_diff(svc['base'], parsed)}")
        else:
            ok(f"{name}: values.yaml parses back to service.base")
        for se in svc["environments"]:
            envname, ns = se["env"], se["namespace"]
            vf = chart / f"values-{envname}.yaml"
            over = yaml.safe_load(vf.read_text())
            if over != se["overrides"]:
                fail(f"{name}/{envname}: values-{envname}.yaml != overrides")
            if merge(svc["base"], over) != se["values"]:
                fail(f"{name}/{envname}: fixture inconsistent: base+overrides != values")
            k8s_file = out / "k8s" / envname / f"{name}.yaml"
            k8s_objs = docs(k8s_file.read_text())
            for h in helms:
                tag = f"{h} {name}/{envname}"
                r = run([tool(h), "lint", "--strict", str(chart), "-f", str(vf)])
                if r.returncode:
                    fail(f"{tag}: lint --strict\n{r.stdout}{r.stderr}")
                else:
                    ok(f"{tag}: lint --strict")
                r = run([tool(h), "template", name, str(chart), "-n", ns, "-f", str(vf)])
                if r.returncode:
                    fail(f"{tag}: template\n{r.stderr}")
                    continue
                hfile = reports / f"{h}-{name}-{envname}.yaml"
                hfile.write_text(r.stdout)
                helm_objs = docs(r.stdout)
                norm = normalise_helm(helm_objs)
                kinds_h = [o["kind"] for o in norm]
                kinds_k = [o["kind"] for o in k8s_objs]
                if kinds_h != kinds_k:
                    fail(f"{tag}: kinds/order differ: helm {kinds_h} vs k8s {kinds_k}")
                elif norm != k8s_objs:
                    for a, b in zip(norm, k8s_objs):
                        d = first_diff(a, b)
                        if d:
                            fail(f"{tag}: {a['kind']} differs: {d}")
                else:
                    ok(f"{tag}: k8s manifest == helm template ({', '.join(kinds_h)})")
                if kv:
                    for k in ("1.33", "1.29"):
                        for f in (hfile, k8s_file):
                            r = run([kv, "--strict", "-k", k, "--quiet", str(f)])
                            msg = (r.stdout + r.stderr).strip()
                            if r.returncode:
                                fail(f"kubernetes-validate -k {k} {f.name}: {msg}")
                            elif msg:
                                print(f"note: kubernetes-validate -k {k} {f.name}: {msg}")
    if kv:
        ok("kubernetes-validate ran (failures listed above, if any)")
        for f in sorted((out / "k8s").rglob("namespace.yaml")):
            r = run([kv, "--strict", "-k", "1.33", "--quiet", str(f)])
            if r.returncode:
                fail(f"kubernetes-validate {f}: {r.stdout}{r.stderr}")
    else:
        fail("kubernetes-validate not available")

    if checkov:
        targets = sorted(reports.glob("helm3-*.yaml")) + sorted((out / "k8s").rglob("*.yaml"))
        envv = dict(os.environ, CKV_SKIP_PACKAGE_UPDATE_CHECK="true", BC_SKIP_MAPPING="TRUE")
        total = skipped = 0
        for f in targets:
            r = run([checkov, "-f", str(f), "--framework", "kubernetes", "--skip-download",
                     "--compact", "--quiet", "-o", "json"], env=envv)
            try:
                data = json.loads(r.stdout)
            except json.JSONDecodeError:
                if "\"passed\": 0" in r.stdout or not r.stdout.strip() or r.stdout.strip() == "[]":
                    continue
                fail(f"checkov {f.name}: unparsable output {r.stdout[:300]} {r.stderr[:300]}")
                continue
            for rep in data if isinstance(data, list) else [data]:
                res = rep.get("results", {})
                skipped += rep.get("summary", {}).get("skipped", 0)
                for c in res.get("failed_checks", []):
                    total += 1
                    fail(f"checkov {f.name}: {c['check_id']} {c['check_name']} "
                         f"({c.get('resource')})")
        if not total:
            ok(f"checkov: 0 failed checks on {len(targets)} files "
               f"({skipped} skipped by checkov.io/skip annotations)")
    else:
        fail("checkov not available")

    print()
    print(f"{len(FAILS)} failure(s)")
    return 1 if FAILS else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["render", "check"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--fixture", type=Path, default=ROOT / "dev" / "fixture.json")
    a = ap.parse_args()
    plan = json.loads(a.fixture.read_text())
    if a.cmd == "render":
        for w in render(plan, a.out):
            print(w)
        return 0
    return check(plan, a.out)


if __name__ == "__main__":
    sys.exit(main())
