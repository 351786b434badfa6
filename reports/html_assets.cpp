// The inline stylesheet and script of report.html. System fonts only: the page must not fetch.
#include "reports/html_parts.h"

namespace dcisim::reports::html_parts {

const char* stylesheet() {
  return R"CSS(
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--ok:#1a7f37;--ok-bg:#dafbe1;
--bad:#cf222e;--bad-bg:#ffebe9;--err:#9a6700;--err-bg:#fff8c5;--link:#0969da}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
color:var(--fg);background:#fff}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;
font-size:12.5px}
a{color:var(--link);text-decoration:none}
a:hover{text-decoration:underline}
h2{font-size:18px;margin:26px 0 10px}
h3{font-size:15px;margin:18px 0 8px}
h4{font-size:13px;margin:10px 0 4px;color:var(--muted)}
header.banner,section.failures,section.overview,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}
header.banner{margin-top:16px;border-radius:8px;padding:14px 20px;border:1px solid var(--line)}
header.banner.passed{background:var(--ok-bg);border-color:#aceebb}
header.banner.failed{background:var(--bad-bg);border-color:#ffcecb}
header.banner h1{margin:0;font-size:22px}
.verdict{margin:4px 0 8px;font-size:16px;font-weight:600}
.passed .verdict{color:var(--ok)}
.failed .verdict{color:var(--bad)}
dl.facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:6px 0}
dl.facts div{display:flex;gap:6px;align-items:baseline}
dl.facts dt{color:var(--muted);font-size:12px}
dl.facts dd{margin:0}
.badge{display:inline-block;min-width:58px;text-align:center;padding:1px 7px;border-radius:10px;
font-size:11.5px;font-weight:600;text-transform:uppercase;letter-spacing:.02em;border:1px solid transparent}
.badge.passed{color:var(--ok);background:var(--ok-bg);border-color:#aceebb}
.badge.failed{color:#fff;background:var(--bad)}
.badge.error{color:#fff;background:var(--err)}
.badge.not_run{color:var(--muted);background:var(--bg);border-color:var(--line)}
.badge.skipped{color:var(--muted);background:var(--bg);border-color:var(--line);font-style:italic}
.tag{display:inline-block;margin:0 4px 0 0;padding:0 7px;border-radius:10px;background:#ddf4ff;
color:#0a3069;font-size:12px}
section.failures ol{margin:0;padding-left:22px}
section.failures li{margin:0 0 12px}
section.failures .reason{margin:3px 0;color:var(--bad)}
.suite{color:var(--muted)}
.replay{display:flex;gap:8px;align-items:baseline;margin:4px 0}
.replay span{color:var(--muted);font-size:12px}
.replay code{background:#1f2328;color:#f0f6fc;padding:3px 8px;border-radius:5px;user-select:all;
overflow-wrap:anywhere}
.controls{display:flex;gap:14px;align-items:center;margin:0 0 10px}
.controls input[type=search]{width:340px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;font:inherit}
#shown{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-size:12px;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
table.list td:first-child{width:80px}
td.mono{overflow-wrap:anywhere}
tr.failed td{background:var(--bad-bg)}
tr.not_run td{color:var(--muted)}
tr.bad td{color:var(--bad)}
section.scenario{margin:14px 0;border:1px solid var(--line);border-radius:8px;overflow:hidden}
section.scenario.failed{border-color:#ff8182;border-left:5px solid var(--bad)}
section.scenario.error{border-color:#d4a72c;border-left:5px solid var(--err)}
section.scenario>details>summary{cursor:pointer;padding:9px 14px;background:var(--bg);font-size:15px}
section.scenario .name{font-weight:600}
section.scenario .meta{color:var(--muted);font-size:12px;margin-left:8px}
section.scenario .body{padding:4px 16px 12px}
.failure{border:1px solid #ffcecb;background:#fffafa;border-radius:8px;padding:4px 14px 10px;margin:10px 0}
.failure h3{color:var(--bad);margin-top:10px}
.failure .message{font-weight:600;margin:8px 0}
pre{margin:0;padding:8px 10px;background:var(--bg);border:1px solid var(--line);border-radius:6px;
white-space:pre-wrap;overflow-wrap:anywhere;max-height:420px;overflow:auto}
pre.step{background:#fff}
pre.source{background:#fff;max-height:320px}
section.failures pre.source{margin:4px 0;max-width:100%}
.where{margin:6px 0}
.where code{font-weight:600}
.where .pointer{color:var(--muted);font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;margin-left:6px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.none{color:var(--muted);font-style:italic;margin:4px 0}
.note{color:var(--err);font-size:12.5px}
details.more{margin:6px 0}
details.more>summary{cursor:pointer;color:var(--link);margin:6px 0}
.timeline{border:1px solid var(--line);border-radius:6px;overflow:hidden;background:#fff}
.timeline svg{display:block}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:var(--fg)}
svg .lane{fill:#fff}
svg .lane.odd{fill:#f6f8fa}
svg .lane-name{font-weight:600;fill:#424a53}
svg .grid{stroke:#d8dee4;stroke-dasharray:2 3}
svg .tick{fill:var(--muted);text-anchor:middle}
svg .label{paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .st-label{fill:#fff;font-weight:600}
svg .mark circle{fill:var(--c);stroke:#fff;stroke-width:1.5}
svg rect.st{fill:var(--c);opacity:.9}
svg .step path{fill:#8c959f}
svg .step.failed path{fill:var(--bad)}
svg .step.not_run path{fill:#fff;stroke:#8c959f}
svg .fail-line{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:5 3}
svg .fail-label{fill:var(--bad);font-weight:700;text-anchor:middle}
svg .end{text-anchor:end}
.st-ordered{--c:#8c959f}.st-processing{--c:#bf8700}.st-active{--c:#2da44e}
.st-suspended,.st-stopped{--c:#e16f24}.st-deleted,.st-closed{--c:#424a53}.st-other{--c:#8250df}
.k-payment{--c:#1a7f37}.k-charge{--c:#cf222e}.k-refund{--c:#1b7c83}.k-operation{--c:#0969da}
.k-task{--c:#8250df}.k-step{--c:#57606a}.k-fault{--c:#bc4c00}.k-status{--c:#6e7781}.k-other{--c:#6e7781}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center;font-size:12px;margin:6px 2px 2px}
.legend span{display:inline-flex;gap:5px;align-items:center}
.legend i{display:inline-block;background:var(--c)}
.legend .sw{width:18px;height:10px;border-radius:2px}
.legend .dot{width:10px;height:10px;border-radius:50%}
.legend .diamond{width:9px;height:9px;transform:rotate(45deg);background:#8c959f}
.legend .axis-note{color:var(--muted)}
.kind{display:inline-block;padding:0 6px;border-radius:8px;font-size:11.5px;color:#fff;background:var(--c)}
footer{color:var(--muted);font-size:12px;margin-top:28px;margin-bottom:28px}
)CSS";
}

const char* script() {
  return R"JS(
(function () {
  var controls = document.getElementById('controls');
  var box = document.getElementById('filter');
  var only = document.getElementById('only-failed');
  var shown = document.getElementById('shown');
  if (!controls || !box || !only) return;
  controls.hidden = false;
  var items = document.querySelectorAll('[data-search]');
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = 0, total = 0;
    items.forEach(function (el) {
      var text = el.getAttribute('data-search');
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
               (!only.checked || el.getAttribute('data-outcome') !== 'passed');
      el.hidden = !ok;
      if (el.tagName === 'TR') { total++; if (ok) rows++; }
    });
    shown.textContent = rows + ' of ' + total + ' scenarios shown';
  }
  // A link to a collapsed scenario opens it.
  function open_target() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    var details = target && target.querySelector('details');
    if (details) details.open = true;
  }
  box.addEventListener('input', apply);
  only.addEventListener('change', apply);
  window.addEventListener('hashchange', open_target);
  apply();
  open_target();
})();
)JS";
}

}  // namespace dcisim::reports::html_parts
