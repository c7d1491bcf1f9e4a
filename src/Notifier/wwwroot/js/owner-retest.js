// The owner page's retest (/r/<token>/retest): shows the dialogue's lines as the retest writes them, by polling its
// progress (JSON) every half second, and reloads the page for the verdict once the retest is over or a new one has
// started. A file, not inline script: the CSP forbids inline script. Without JavaScript the page refreshes itself.
(function () {
    "use strict";

    var list = document.getElementById("retest-lines");
    if (!list) return;
    var url = list.getAttribute("data-progress");
    var shownProbe = list.getAttribute("data-probe");
    var shownOver = list.getAttribute("data-over") === "true";
    var every = 500;

    function time(at) {
        var d = new Date(at);
        function pad(n, w) { return String(n).padStart(w, "0"); }
        return pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2) + "." + pad(d.getUTCMilliseconds(), 3);
    }

    function append(line) {
        // textContent only: a line is what a remote server said, never markup.
        var li = document.createElement("li");
        var t = document.createElement("time");
        t.textContent = time(line.at);
        var dir = document.createElement("span");
        dir.className = "dir";
        dir.textContent = line.dir;
        var code = document.createElement("code");
        code.textContent = line.line;
        li.appendChild(t);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(dir);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(code);
        list.appendChild(li);
    }

    function poll() {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (r) {
                // A link that stopped working (404/410): the page says why. Anything else: try again a little later.
                if (r.status === 404 || r.status === 410) { window.location.reload(); return null; }
                if (!r.ok) { window.setTimeout(poll, every * 4); return null; }
                return r.json();
            })
            .then(function (p) {
                if (!p) return;
                var probe = p.probe === null ? "" : String(p.probe);
                if (probe !== shownProbe || (p.over && !shownOver)) {
                    window.location.reload();
                    return;
                }
                for (var i = list.children.length; i < p.lines.length; i++) append(p.lines[i]);
                window.setTimeout(poll, every);
            })
            .catch(function () { window.setTimeout(poll, every * 4); });
    }

    // Polled only while something is still to come (a queued request, a running retest, a greylisting retry).
    if (list.getAttribute("data-waiting") === "true") window.setTimeout(poll, every);
}());
