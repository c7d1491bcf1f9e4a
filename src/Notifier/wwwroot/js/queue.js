// Keyboard work on the queue and the case list (no inline script: the CSP forbids it).
//   j / k  next / previous case row     x  select the row (case list)     Enter  open the case
//   /      focus the search box         the header checkbox selects every row of the page
(function () {
    "use strict";

    function rows() {
        return Array.prototype.slice.call(document.querySelectorAll("table[data-keyboard-list] tbody tr[data-case-id]"));
    }

    var current = -1;

    function move(by) {
        var all = rows();
        if (all.length === 0) return;
        if (current >= 0 && all[current]) all[current].classList.remove("keyboard-current");
        current = Math.max(0, Math.min(all.length - 1, current + by));
        all[current].classList.add("keyboard-current");
        all[current].scrollIntoView({ block: "nearest" });
    }

    function typing(target) {
        var tag = target && target.tagName;
        return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
    }

    document.addEventListener("keydown", function (e) {
        if (e.ctrlKey || e.metaKey || e.altKey) return;
        if (typing(e.target)) {
            if (e.key === "Escape") e.target.blur();
            return;
        }
        var all = rows();
        var row = current >= 0 ? all[current] : null;
        switch (e.key) {
            case "j": move(1); e.preventDefault(); break;
            case "k": move(-1); e.preventDefault(); break;
            case "x":
                if (row) {
                    var box = row.querySelector("input[type=checkbox][name=ids]");
                    if (box) box.checked = !box.checked;
                    e.preventDefault();
                }
                break;
            case "Enter":
                if (row) {
                    var link = row.querySelector("a[href]");
                    if (link) { window.location.href = link.href; e.preventDefault(); }
                }
                break;
            case "/":
                var search = document.querySelector("[data-search]");
                if (search) { search.focus(); e.preventDefault(); }
                break;
        }
    });

    document.addEventListener("change", function (e) {
        var all = e.target;
        if (!all.matches || !all.matches("input[data-select-all]")) return;
        var table = all.closest("table");
        Array.prototype.forEach.call(table.querySelectorAll("tbody input[type=checkbox][name=ids]"), function (box) {
            box.checked = all.checked;
        });
    });
})();
