/// The HTML report's style sheet and script, inlined into the page (it loads nothing: the page's
/// Content-Security-Policy allows no fetch at all). The script only filters and expands; the page
/// is complete without it.
enum HTMLAssets {
    /// The colours of the timeline, one per phase and ending (also what the browser test looks for
    /// in the screenshot).
    static let colors: [(name: String, hex: String)] = [
        ("queued", "#cbd5e1"), ("leased", "#93c5fd"), ("pending", "#fbbf24"), ("running", "#2563eb"),
        ("succeeded", "#16a34a"), ("failed", "#dc2626"), ("retried", "#ea580c"), ("returned", "#9333ea"),
        ("cancelled", "#6b7280"),
    ]

    static let style = """
    :root{color-scheme:light;--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--panel:#f9fafb;\
    \(colors.map { "--\($0.name):\($0.hex);" }.joined())}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
    header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
    h1{font-size:20px;margin:0 0 4px}
    h2{font-size:17px;margin:0 0 8px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
    h3{font-size:14px;margin:14px 0 6px}
    main{padding:0 24px 24px}
    .pad{padding:0 24px}
    code,pre{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",monospace}
    pre{white-space:pre-wrap;word-break:break-word;margin:0}
    .muted{color:var(--muted)}
    .facts{margin:2px 0;color:var(--muted)}
    .facts b{color:var(--fg);font-weight:600}
    .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;color:#fff;background:var(--muted);white-space:nowrap}
    .s-passed .badge,.badge.s-passed{background:var(--succeeded)}
    .s-failed .badge,.badge.s-failed{background:var(--failed)}
    .s-flaky .badge,.badge.s-flaky{background:var(--returned)}
    .s-timeout .badge,.badge.s-timeout,.s-error .badge,.badge.s-error,.s-interrupted .badge,.badge.s-interrupted,\
    .s-invalid .badge,.badge.s-invalid{background:#b45309}
    .counts{display:flex;gap:6px;flex-wrap:wrap;margin:8px 0}
    .controls{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin-top:8px}
    .controls input[type=search]{width:22em;padding:4px 6px}
    table{border-collapse:collapse;margin:8px 0}
    th,td{text-align:left;padding:3px 10px 3px 0;border-bottom:1px solid var(--line);vertical-align:top}
    th{font-weight:600;color:var(--muted)}
    td.num,th.num{text-align:right}
    table.summary{width:100%}
    table.summary td.why{max-width:60em;overflow-wrap:anywhere}
    section.test{border-top:2px solid var(--line);padding:14px 0 8px;margin-top:14px}
    section.test.s-failed,section.test.s-error,section.test.s-timeout,section.test.s-invalid,section.test.s-interrupted{border-top-color:var(--failed)}
    .reason{background:#fef2f2;border-left:3px solid var(--failed);padding:6px 10px;margin:6px 0}
    .s-flaky .reason{background:#faf5ff;border-left-color:var(--returned)}
    dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
    dl.kv dt{color:var(--muted)}
    dl.kv dd{margin:0;overflow-wrap:anywhere}
    details>summary{cursor:pointer;font-weight:600;margin:8px 0 4px}
    .legend{display:flex;gap:12px;flex-wrap:wrap;color:var(--muted);font-size:12px;margin:4px 0 8px}
    .legend i{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
    .job{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:6px 0;content-visibility:auto;contain-intrinsic-size:auto 110px}
    .jh{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
    .chain{color:var(--muted);font-size:12px;overflow-wrap:anywhere}
    .row{display:grid;grid-template-columns:5.5em minmax(160px,1fr) minmax(14em,42%);gap:10px;align-items:center;margin:3px 0}
    .row .lbl{color:var(--muted);font-size:12px;white-space:nowrap}
    .row .meta{font-size:12px;overflow-wrap:anywhere}
    .track{position:relative;height:14px;background:#f3f4f6;border-radius:2px}
    .track i{position:absolute;top:0;height:14px;min-width:2px}
    .track i.end{width:4px;min-width:4px;top:-2px;height:18px}
    .axis{display:grid;grid-template-columns:5.5em minmax(160px,1fr) minmax(14em,42%);gap:10px;font-size:11px;color:var(--muted)}
    .axis span:nth-child(2){display:flex;justify-content:space-between}
    \(colors.map { ".c-\($0.name){background:var(--\($0.name))}" }.joined(separator: "\n"))
    .decision{margin:2px 0 2px 6.1em;font-size:12px;padding:2px 8px;border-left:3px solid var(--muted);overflow-wrap:anywhere}
    .decision.retried{border-left-color:var(--retried)}
    .decision.not-retried{border-left-color:var(--failed)}
    .decision.returned{border-left-color:var(--returned)}
    .gap{margin:2px 0 2px 6.1em;font-size:12px;color:var(--muted);font-style:italic}
    .more{color:var(--muted);font-style:italic}
    footer{padding:12px 24px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
    [hidden]{display:none!important}
    """

    /// Filtering (text over test names and job ids; only tests that did not pass) and expanding
    /// or collapsing every job list.
    static let script = """
    'use strict';
    (function () {
      var q = document.getElementById('filter');
      var bad = document.getElementById('only-bad');
      var tests = Array.prototype.slice.call(document.querySelectorAll('section.test'));
      var rows = {};
      Array.prototype.forEach.call(document.querySelectorAll('tr[data-test]'), function (r) { rows[r.dataset.test] = r; });
      function apply() {
        var text = q.value.trim().toLowerCase();
        tests.forEach(function (s) {
          var show = !(bad.checked && s.dataset.status === 'passed');
          var nameHit = !text || s.dataset.name.toLowerCase().indexOf(text) >= 0;
          var jobHit = false;
          s.querySelectorAll('.job').forEach(function (j) {
            var hit = !text || nameHit || j.dataset.job.toLowerCase().indexOf(text) >= 0;
            j.hidden = !hit;
            if (hit && text && !nameHit) { jobHit = true; }
          });
          if (jobHit) { var d = s.querySelector('details.jobs'); if (d) { d.open = true; } }
          show = show && (nameHit || jobHit);
          s.hidden = !show;
          if (rows[s.id]) { rows[s.id].hidden = !show; }
        });
      }
      q.addEventListener('input', apply);
      bad.addEventListener('change', apply);
      function openAll(open) {
        document.querySelectorAll('details.jobs').forEach(function (d) { d.open = open; });
      }
      document.getElementById('expand').addEventListener('click', function () { openAll(true); });
      document.getElementById('collapse').addEventListener('click', function () { openAll(false); });
      function reveal() {
        var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
        var d = target && target.closest('details');
        if (d) { d.open = true; target.scrollIntoView(); }
      }
      window.addEventListener('hashchange', reveal);
      reveal();
    })();
    """
}
