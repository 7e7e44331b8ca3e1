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
# its spec changes. ``data-rev`` tells which update a chart shows, and the class
# ``rcm-charts-busy`` that a redraw is under way (the tests wait on both).
_RENDER = r"""
function render({ model, el }) {
  el.classList.add("rcm-charts");
  const slots = [];
  let drawing = 0;            // charts being drawn
  let pending = null;         // a redraw for a new width, about to start
  const busy = () => el.classList.toggle("rcm-charts-busy", drawing > 0 || pending !== null);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function slot(i) {
    while (slots.length <= i) {
      const div = document.createElement("div");
      div.className = "rcm-chart";
      const note = document.createElement("div");   // the chart's one line of explanation
      note.className = "rcm-help rcm-chart-note";
      note.style.display = "none";
      el.append(div, note);
      slots.push({ div, note, spec: null, result: null, seq: 0 });
    }
    return slots[i];
  }

  function clear(s) {
    if (s.result) s.result.finalize();
    s.result = null;
    s.div.replaceChildren();
  }

  // A chart wider than its place is drawn to fit it (Vega-Lite's "fit" autosize: axes
  // and legend included), so nothing runs past a phone's screen: titles wrapped and set
  // at the left, legends under the plot one item a line, long category labels cut, and a
  // grid of cells (the SLA scorecard) turned so its few columns are the vendors.
  const LEGENDS = ["color", "fill", "stroke", "shape", "size", "opacity", "strokeDash"];
  const nominal = (e) => e && (e.type === "nominal" || e.type === "ordinal");
  const markOf = (l) => (typeof l.mark === "string" ? l.mark : (l.mark || {}).type);

  function fits(spec, avail) {
    const multi = ["hconcat", "vconcat", "concat", "facet", "repeat"].some((k) => k in spec);
    return !avail || avail < 100 || multi || typeof spec.width !== "number"
      || spec.width + 170 <= avail;
  }

  function fit(spec, avail) {
    if (fits(spec, avail)) return spec;
    const out = JSON.parse(JSON.stringify(spec));
    out.width = Math.floor(avail - 8);
    out.autosize = { type: "fit-x", contains: "padding" };
    // room on the right for a number axis's last label, centred on the plot's edge
    out.padding = { left: 5, top: 5, bottom: 5, right: 22 };
    const chars = Math.max(20, Math.floor((avail - 16) / 8));
    const wrap = (t) => {                  // a long title on two or more lines
      if (Array.isArray(t)) t = t.join(" ");
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
      if (typeof o.title === "string" || Array.isArray(o.title))
        o.title = { text: wrap(o.title), anchor: "start" };
      else if (o.title && typeof o.title === "object") {
        o.title.text = wrap(o.title.text);
        if (o.title.subtitle) o.title.subtitle = wrap(o.title.subtitle);
        o.title.anchor = "start";
      }
    };
    titled(out);
    const layers = out.layer || [out];
    const grid = layers.some((l) => markOf(l) === "rect" && l.encoding
                             && nominal(l.encoding.x) && nominal(l.encoding.y));
    layers.forEach((l) => {
      titled(l);
      const e = l.encoding || {};
      if (grid) {                          // rows of KPIs, a column per vendor
        [e.x, e.y] = [e.y, e.x];
        [e.x2, e.y2] = [e.y2, e.x2];
        ["x2", "y2"].forEach((k) => { if (e[k] === undefined) delete e[k]; });
        if (e.y && e.y.axis) e.y.axis = { labelLimit: Math.floor(avail * 0.36) };
        if (e.x) e.x.axis = { orient: "bottom", labelAngle: -40, labelLimit: 140 };
        if (markOf(l) === "text") l.mark = Object.assign(
          typeof l.mark === "object" ? l.mark : { type: "text" }, { fontSize: 10 });
      } else {
        if (nominal(e.x))                  // crowded category labels at an angle
          e.x.axis = Object.assign({}, e.x.axis || {}, { labelAngle: -40 });
        if (nominal(e.y))                  // long names cut, the chart keeps its room
          e.y.axis = Object.assign({}, e.y.axis || {}, { labelLimit: Math.floor(avail * 0.38) });
      }
      LEGENDS.forEach((k) => {             // the legend under the plot, one item a line
        if (e[k] && e[k].legend !== null && e[k].field !== undefined)
          e[k].legend = Object.assign({}, e[k].legend || {}, {
            orient: "bottom", direction: "vertical", columns: 1,
            labelLimit: Math.floor(avail - 40), titleLimit: Math.floor(avail - 40) });
      });
    });
    if (grid) out.height = { step: 24 };
    return out;
  }

  // The width a chart is drawn for: its column's, or (while its step is hidden) the
  // window's, redrawn when the column is shown or resized (see the observer below).
  function room() {
    const w = el.clientWidth || 0;
    return Math.min(w >= 100 ? w : (document.documentElement.clientWidth || 0) - 40,
                    window.innerWidth || 100000);
  }

  function draw() {
    const specs = model.get("specs") || [];
    const names = model.get("names") || [];
    const notes = model.get("notes") || [];
    const rev = String(model.get("rev"));
    specs.forEach((spec, i) => {
      const s = slot(i);
      s.div.className = "rcm-chart" + (names[i] ? " rcm-chart-" + names[i] : "");
      s.note.textContent = notes[i] || "";
      s.note.style.display = spec && notes[i] ? "" : "none";
      if (!spec) {
        s.seq += 1;
        s.spec = null;
        clear(s);
        s.div.style.display = "none";
        s.div.dataset.rev = rev;
        return;
      }
      s.div.style.display = "";
      if (s.result && same(spec, s.spec) && !s.stale) {   // unchanged: nothing to redraw
        s.div.dataset.rev = rev;
        return;
      }
      const seq = (s.seq += 1);
      const target = document.createElement("div");
      const avail = room();
      s.avail = avail;
      drawing += 1;
      busy();
      vegaEmbed(target, fit(spec, avail), { renderer: "svg", actions: false }).then((result) => {
        if (seq !== s.seq) { result.finalize(); return; }   // a newer spec is on its way
        if (s.result) s.result.finalize();
        s.result = result;
        s.spec = spec;
        s.stale = false;
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
      }).finally(() => { drawing -= 1; busy(); });
    });
    for (let i = specs.length; i < slots.length; i++) {
      slots[i].seq += 1;
      clear(slots[i]);
      slots[i].div.style.display = "none";
      slots[i].note.style.display = "none";
    }
  }

  // Shown at last, or the window turned: charts drawn for another width are drawn again.
  const observer = new ResizeObserver(() => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      pending = null;
      busy();
      if ((el.clientWidth || 0) < 100) return;
      const avail = room();
      const stale = slots.some((s) => s.spec && Math.abs((s.avail || 0) - avail) > 24
                               && !(fits(s.spec, avail) && fits(s.spec, s.avail || 0)));
      if (stale) { slots.forEach((s) => { s.stale = true; }); draw(); }
    }, 150);
    busy();
  });
  observer.observe(el);

  model.on("change:rev", draw);
  draw();
  return () => { observer.disconnect(); clearTimeout(pending); model.off("change:rev", draw);
                 slots.forEach(clear); };
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
    notes : list of str, optional
        One line of plain words per chart, shown under it (``.rcm-chart-note``).

    Set :meth:`show` with one spec (a dict, or None to hide that chart) per name.
    """

    _esm = traitlets.Unicode().tag(sync=True)
    specs = traitlets.List().tag(sync=True)
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    notes = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rev = traitlets.Int(0).tag(sync=True)

    def __init__(self, names, notes=(), **kwargs):
        super().__init__(_esm=bundle(), names=list(names), specs=[None] * len(names),
                         notes=list(notes), **kwargs)

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
