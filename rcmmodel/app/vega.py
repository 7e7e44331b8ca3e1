"""Charts drawn in the browser by a bundled Vega renderer: the kernel only sends specs.

Rendering a chart to SVG in the kernel (vl-convert) takes 50-150 ms a chart, far longer
than the model. Here the kernel builds each chart's Vega-Lite spec (~10 ms) and
sends it to :class:`VegaCharts`, an anywidget whose JavaScript is vega-embed, Vega and
Vega-Lite bundled by vl-convert: no CDN, nothing leaves the machine. The browser draws
the new chart off-screen and swaps it in once drawn, so the old one stays until then and
nothing flickers.

Reports and templates still render SVG in the kernel (:func:`rcmmodel.present.charts.to_svg`):
they must be self-contained files.
"""
from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import anywidget
import traitlets

# The page's side: one <div class="rcm-chart rcm-chart-NAME"> per chart, each redrawn when
# its spec changes. ``data-rev`` tells which update a chart shows (the tests wait on it).
_RENDER = r"""
function render({ model, el }) {
  el.classList.add("rcm-charts");
  const slots = [];
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function slot(i) {
    while (slots.length <= i) {
      const div = document.createElement("div");
      div.className = "rcm-chart";
      el.appendChild(div);
      slots.push({ div, spec: null, result: null, seq: 0 });
    }
    return slots[i];
  }

  function clear(s) {
    if (s.result) s.result.finalize();
    s.result = null;
    s.div.replaceChildren();
  }

  // A chart wider than its place is drawn to fit it (Vega-Lite's "fit" autosize: axes
  // and legend included), so nothing runs past a phone's screen.
  function fit(spec, avail) {
    const multi = ["hconcat", "vconcat", "concat", "facet", "repeat"].some((k) => k in spec);
    if (!avail || avail < 100 || multi || typeof spec.width !== "number") return spec;
    if (spec.width + 170 <= avail) return spec;
    const out = JSON.parse(JSON.stringify(spec));
    out.width = Math.floor(avail - 8);
    out.autosize = { type: "fit-x", contains: "padding" };
    const chars = Math.max(20, Math.floor(avail / 9));
    const wrap = (t) => {                  // a long title on two or more lines
      if (typeof t !== "string" || t.length <= chars) return t;
      const lines = [""];
      t.split(" ").forEach((w) => {
        const last = lines[lines.length - 1];
        if ((last + " " + w).trim().length > chars && last) lines.push(w);
        else lines[lines.length - 1] = (last + " " + w).trim();
      });
      return lines;
    };
    const titled = (o) => {
      if (typeof o.title === "string") o.title = wrap(o.title);
      else if (o.title && typeof o.title === "object" && !Array.isArray(o.title)) {
        o.title.text = wrap(o.title.text);
        o.title.subtitle = wrap(o.title.subtitle);
      }
    };
    titled(out);
    (out.layer || [out]).forEach((l) => {
      titled(l);
      const e = l.encoding || {};
      if (e.x && e.x.type === "nominal")   // crowded category labels at an angle
        e.x.axis = Object.assign({}, e.x.axis || {}, { labelAngle: -40 });
      if (e.y && e.y.type === "nominal")   // long names cut, the chart keeps its room
        e.y.axis = Object.assign({}, e.y.axis || {}, { labelLimit: Math.floor(avail * 0.38) });
      if (e.color && e.color.legend !== null)   // the legend one item a line
        e.color.legend = Object.assign({}, e.color.legend || {},
                                       { columns: 1, labelLimit: Math.floor(avail - 40) });
    });
    return out;
  }

  function draw() {
    const specs = model.get("specs") || [];
    const names = model.get("names") || [];
    const rev = String(model.get("rev"));
    specs.forEach((spec, i) => {
      const s = slot(i);
      s.div.className = "rcm-chart" + (names[i] ? " rcm-chart-" + names[i] : "");
      if (!spec) {
        s.seq += 1;
        s.spec = null;
        clear(s);
        s.div.style.display = "none";
        s.div.dataset.rev = rev;
        return;
      }
      s.div.style.display = "";
      if (s.result && same(spec, s.spec)) {   // unchanged: nothing to redraw
        s.div.dataset.rev = rev;
        return;
      }
      const seq = (s.seq += 1);
      const target = document.createElement("div");
      const avail = Math.min(el.clientWidth || 0, window.innerWidth || 100000);
      vegaEmbed(target, fit(spec, avail), { renderer: "svg", actions: false }).then((result) => {
        if (seq !== s.seq) { result.finalize(); return; }   // a newer spec is on its way
        if (s.result) s.result.finalize();
        s.result = result;
        s.spec = spec;
        s.div.replaceChildren(target);
        s.div.dataset.rev = rev;
      }).catch((err) => {
        if (seq !== s.seq) return;
        clear(s);
        s.spec = null;
        const msg = document.createElement("div");
        msg.className = "rcm-input-error";
        msg.textContent = "This chart could not be drawn (" + String(err && err.message || err) + ").";
        s.div.appendChild(msg);
        s.div.dataset.rev = rev;
      });
    });
    for (let i = specs.length; i < slots.length; i++) {
      slots[i].seq += 1;
      clear(slots[i]);
      slots[i].div.style.display = "none";
    }
  }

  model.on("change:rev", draw);
  draw();
  return () => { model.off("change:rev", draw); slots.forEach(clear); };
}
export default { render };
"""


def _vl_version() -> str | None:
    """The Vega-Lite version altair writes specs for, as vl-convert names it ('6.4')."""
    import altair as alt
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vlc.get_vegalite_versions() else None


@functools.lru_cache(maxsize=1)
def bundle() -> str:
    """The widget's JavaScript: vega-embed + Vega + Vega-Lite and the render function.

    vl-convert builds it offline in about two seconds; it is kept in the user's cache
    folder (keyed by vl-convert's version and this code), so later kernels start at once.
    """
    import vl_convert as vlc

    version = _vl_version()
    key = hashlib.sha256(f"{vlc.__version__}|{version}|{_RENDER}".encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rcmmodel"
    path = cache / f"vega-bundle-{key}.mjs"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    code = vlc.javascript_bundle(snippet=_RENDER, vl_version=version)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache, delete=False,
                                         suffix=".tmp") as tmp:
            tmp.write(code)
        os.replace(tmp.name, path)
    except OSError:
        pass                     # a read-only home: build it again next time
    return code


class VegaCharts(anywidget.AnyWidget):
    """A column of Vega-Lite charts drawn in the browser.

    Parameters
    ----------
    names : list of str
        One per chart; each chart's ``<div>`` gets the class ``rcm-chart-NAME``.

    Set :meth:`show` with one spec (a dict, or None to hide that chart) per name.
    """

    _esm = traitlets.Unicode().tag(sync=True)
    specs = traitlets.List().tag(sync=True)
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rev = traitlets.Int(0).tag(sync=True)

    def __init__(self, names, **kwargs):
        super().__init__(_esm=bundle(), names=list(names), specs=[None] * len(names),
                         **kwargs)

    def show(self, specs) -> None:
        """Send new specs in one message; the page redraws the charts that changed."""
        specs = list(specs)
        specs += [None] * (len(self.names) - len(specs))
        with self.hold_sync():
            self.specs = specs
            self.rev += 1

    def clear(self) -> None:
        self.show([])


def chart_specs(charts) -> list[dict | None]:
    """Vega-Lite specs of altair charts (None stays None), without schema validation.

    The chart functions are tested (their specs validate and render); validating costs
    about 10 ms a chart. Call it inside :func:`quick_altair` with the charts' building.
    """
    return [None if c is None else c.to_dict(validate=False) for c in charts]


_CONVERTERS: dict = {}


@contextmanager
def quick_altair():
    """Build altair charts and their specs without altair's fixed costs; same specs.

    Two costs dominate building a small chart with altair 5/6, not the data: every schema
    object is validated as it is created ("debug mode"), and every ``from_dict`` (one per
    encoding channel, a few more in ``to_dict``) re-hashes the schemas of all ~600 schema
    classes to find its wrapper class, 5 ms each. Inside this block creation-time
    validation is off and that table is built once and kept. Where altair's internals
    differ from what this expects, it changes nothing.
    """
    try:
        from altair.utils import schemapi
        original = schemapi._FromDict
        debug_mode = schemapi.debug_mode
    except (ImportError, AttributeError):
        yield
        return

    class _Cached(original):
        def __new__(cls, wrapper_classes, /):
            key = tuple(wrapper_classes)
            found = _CONVERTERS.get(key)
            if found is None:
                found = _CONVERTERS[key] = original(key)
            return found

    schemapi._FromDict = _Cached
    try:
        with debug_mode(False):
            yield
    finally:
        schemapi._FromDict = original
