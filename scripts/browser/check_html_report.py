#!/usr/bin/env python3
"""Opens an HTML report in headless Chromium (Debian's `chromium`) over the DevTools protocol and
says what a reader would see, as JSON on standard output:

  consoleErrors   console errors and warnings, uncaught exceptions, failed or blocked loads
                  (a fetch the page's Content-Security-Policy refuses is one)
  requests        every URL the page asked for besides itself
  loadMs          navigation start until the load event, as this script saw it
  navigationMs    the same as the page measured it (the navigation entry's loadEventEnd)
  readyMs         navigation start until the second frame after the load event: parsed, laid out,
                  painted (no task while loading can be longer)
  longestTaskMs   the longest main-thread task after the first (PerformanceObserver 'longtask' does
                  not see the task that parses the page's start), and while opening every job list
  openMs          --open-all: from pressing "open every job list" to the second frame after it
  dom             counts read from the page (tests, jobs, run rows, ...)
  screenshot      the PNG of the first job timeline, and the timeline colours found in it
  filter          what typing a job id into the filter box leaves visible

Usage: check_html_report.py REPORT.html SCREENSHOT.png [--open-all] [--filter TEXT] [--page] [--colours JSON]
Standard library only; the protocol runs over --remote-debugging-pipe (file descriptors 3 and 4).
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib


class Browser:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="html-report-check-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4. The pipe ends are moved above
        # both first (so placing one cannot overwrite the other) and are close-on-exec, as Python
        # makes every descriptor; only the dup2 copies reach chromium.
        child_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        args = [binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + self.profile, "about:blank"]

        def child_fds():
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        self.process = subprocess.Popen(args, preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        close_fds=False)
        os.close(child_r)
        os.close(child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe (exit %s)" % self.process.poll())
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None, timeout=60):
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self.read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, timeout=60):
        deadline = time.monotonic() + timeout
        for i, message in enumerate(self.events):
            if message.get("method") == method:
                return self.events.pop(i)
        while True:
            message = self.read(deadline)
            if message.get("method") == method:
                return message
            self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


LONG_TASKS = """
window.__longest = 0;
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longest = Math.max(window.__longest, e.duration); });
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
"""

DOM = """(() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const first = document.querySelector('.job');
  return {
    title: document.title,
    tests: document.querySelectorAll('section.test').length,
    summaryRows: document.querySelectorAll('table.summary tbody tr').length,
    jobs: document.querySelectorAll('.job').length,
    runRows: document.querySelectorAll('.job .row .lbl').length,
    decisions: document.querySelectorAll('.job .decision').length,
    segments: document.querySelectorAll('.job .track i').length,
    firstJobVisible: first ? visible(first) : false,
    firstJobRect: first ? (() => { const r = first.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })() : null,
    text: first ? first.innerText : ''
  };
})()"""


def evaluate(browser, session, expression):
    result = browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
    if "exceptionDetails" in result:
        raise RuntimeError("evaluating in the page failed: %s" % result["exceptionDetails"])
    return result["result"].get("value")


def png_pixels(data):
    """Decodes an 8-bit RGB or RGBA non-interlaced PNG (what Chromium writes) into rows of bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and color in (2, 6), "unsupported PNG layout"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def colour_counts(png, colours):
    width, height, channels, rows = png_pixels(png)
    wanted = {bytes.fromhex(hex.lstrip("#")): name for name, hex in colours.items()}
    counts = {name: 0 for name in colours}
    for row in rows:
        for x in range(0, width * channels, channels):
            name = wanted.get(row[x:x + 3])
            if name:
                counts[name] += 1
    return {"width": width, "height": height, "colours": counts}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("screenshot")
    parser.add_argument("--open-all", action="store_true", help="press 'open every job list' before the screenshot")
    parser.add_argument("--filter", help="type this into the filter box and count what stays visible")
    parser.add_argument("--page", action="store_true", help="screenshot the whole page (up to 8000 px) instead of the first job")
    parser.add_argument("--colours", default="{}", help="JSON {name: '#rrggbb'} to count in the screenshot")
    parser.add_argument("--browser", default=os.environ.get("CHROMIUM", "chromium"))
    args = parser.parse_args()
    if not os.path.isfile(args.report):
        print(json.dumps({"error": "no report at %s" % args.report}))
        return 2
    binary = shutil.which(args.browser)
    if not binary:
        print(json.dumps({"error": "no %s on PATH: install Debian's chromium (apt-get install chromium)" % args.browser}))
        return 3
    browser = Browser(binary)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(domain + ".enable", {}, session)
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": LONG_TASKS}, session)
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
        url = "file://" + os.path.abspath(args.report)
        started = time.monotonic()
        browser.call("Page.navigate", {"url": url}, session)
        browser.wait_for("Page.loadEventFired", timeout=120)
        load_ms = (time.monotonic() - started) * 1000
        # performance.now() counts from the navigation's start: at the second frame after the load
        # event the page is parsed, laid out and painted.
        ready = evaluate(browser, session, "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))")
        out = {"loadMs": round(load_ms, 1), "readyMs": round(ready, 1)}
        out["navigationMs"] = evaluate(browser, session,
                                       "(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd : -1; })()")
        out["longestTaskMs"] = evaluate(browser, session, "window.__longest")
        if args.open_all:
            # Opening every job list lays out every timeline: timed from the click to the second frame after it.
            out["openMs"] = evaluate(browser, session, """new Promise(r => {
              const t = performance.now();
              document.getElementById('expand').click();
              requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t)));
            })""")
            out["longestTaskMs"] = max(out["longestTaskMs"], evaluate(browser, session, "window.__longest"))
        out["dom"] = evaluate(browser, session, DOM)
        rect = out["dom"]["firstJobRect"]
        if args.page:
            height = evaluate(browser, session, "Math.min(document.documentElement.scrollHeight, 8000)")
            shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                            "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}}, session)
        elif rect:
            evaluate(browser, session, "document.querySelector('.job').scrollIntoView()")
            evaluate(browser, session, "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            box = evaluate(browser, session, "(() => { const r = document.querySelector('.job').getBoundingClientRect(); "
                                             "return [r.x, r.y + window.scrollY, r.width, r.height]; })()")
            shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                            "clip": {"x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1}},
                                session)
        else:
            shot = browser.call("Page.captureScreenshot", {"format": "png"}, session)
        png = base64.b64decode(shot["data"])
        with open(args.screenshot, "wb") as f:
            f.write(png)
        out["screenshot"] = dict(path=args.screenshot, **colour_counts(png, json.loads(args.colours)))
        if args.filter is not None:
            out["filter"] = evaluate(browser, session, """(() => {
              const q = document.getElementById('filter');
              q.value = %s;
              q.dispatchEvent(new Event('input'));
              const shown = (sel) => Array.from(document.querySelectorAll(sel)).filter(e => !e.hidden && !e.closest('[hidden]')).length;
              return {jobs: shown('.job'), tests: shown('section.test')};
            })()""" % json.dumps(args.filter))
        # Let late messages arrive, then collect what went wrong.
        evaluate(browser, session, "new Promise(r => setTimeout(r, 100))")
        errors, requests = [], []
        for message in browser.events:
            method, params = message.get("method"), message.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                errors.append("console.%s: %s" % (params["type"], " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                errors.append("exception: %s" % details.get("exception", {}).get("description", details.get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                errors.append("log: %s" % params["entry"].get("text"))
            elif method == "Network.requestWillBeSent":
                if params.get("request", {}).get("url") != url:
                    requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                errors.append("load failed: %s %s" % (params.get("errorText"), params.get("blockedReason", "")))
        out["consoleErrors"] = errors
        out["requests"] = requests
        print(json.dumps(out))
        return 0
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
