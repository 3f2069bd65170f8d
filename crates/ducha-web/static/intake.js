// Hotline intake: live suggestions while the operator types, keyboard shortcuts, and the township
// list narrowed to the chosen county. Same-origin only (CSP script-src 'self'); the form works
// without this file. Text from the server is inserted with textContent, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("intake");
  if (!form) return;
  var text = document.getElementById("text");
  var county = document.getElementById("county");
  var township = document.getElementById("township");
  var box = document.getElementById("suggest");
  var received = document.getElementById("received-field");
  var url = form.getAttribute("data-suggest");
  var csrf = form.getAttribute("data-csrf");
  var timer = null;
  var inflight = null;
  var last = "";
  var current = null;

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined && content !== null) e.textContent = content;
    return e;
  }

  function narrowTownships() {
    var c = county.value;
    var groups = township.getElementsByTagName("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var show = !c || groups[i].getAttribute("data-county") === c;
      groups[i].hidden = !show;
      groups[i].disabled = !show;
    }
    var sel = township.options[township.selectedIndex];
    if (sel && sel.parentNode && sel.parentNode.disabled) township.value = "";
  }

  function applyPlace() {
    if (!current) return false;
    if (current.county) {
      county.value = current.county.code;
      narrowTownships();
    }
    if (current.township) township.value = current.township.code;
    county.classList.add("applied");
    township.classList.add("applied");
    return true;
  }

  function caseItem(c, strong) {
    var li = el("li", strong ? "dup strong" : "dup");
    var say = el("p", "say", c.say);
    li.appendChild(say);
    var meta = el("p", "meta");
    var a = el("a", null, c.accept_no);
    a.href = "/cases/" + c.id;
    a.target = "_blank";
    a.rel = "noopener";
    meta.appendChild(a);
    meta.appendChild(el("span", "badge" + (c.open ? "" : " closed"), c.stage_label));
    meta.appendChild(el("span", "muted", " " + c.region_label));
    li.appendChild(meta);
    li.appendChild(el("p", "excerpt", c.excerpt));
    return li;
  }

  function render(s) {
    current = s;
    box.textContent = "";
    var place = [s.county, s.township, s.village].filter(Boolean).map(function (p) { return p.name; });
    var dl = el("dl", "facts");
    dl.appendChild(el("dt", null, "行政区域"));
    var dd = el("dd");
    if (s.outside) {
      dd.appendChild(el("strong", null, "市外：" + s.outside));
      dd.appendChild(el("span", "muted", "（登记后留督察组移交）"));
    } else if (place.length) {
      dd.appendChild(el("strong", null, place.join(" ")));
      var b = el("button", "secondary small", "采用（Alt+1）");
      b.type = "button";
      b.addEventListener("click", applyPlace);
      dd.appendChild(document.createTextNode(" "));
      dd.appendChild(b);
    } else {
      dd.appendChild(el("span", "muted", "尚未识别，请问清乡镇、村或附近地标"));
    }
    dl.appendChild(dd);
    dl.appendChild(el("dt", null, "问题类型"));
    dl.appendChild(el("dd", null, s.pollution_types.length ? s.pollution_types.join("、") : "待定"));
    if (s.sansan) {
      dl.appendChild(el("dt", null, "三散类别"));
      dl.appendChild(el("dd", null, s.sansan));
    }
    box.appendChild(dl);
    if (s.duplicate) {
      box.appendChild(el("h3", "warn", "可能已受理过（同一问题）"));
      var ul = el("ul", "dups");
      ul.appendChild(caseItem(s.duplicate, true));
      box.appendChild(ul);
      if (s.duplicate_evidence && s.duplicate_evidence.length) {
        box.appendChild(el("p", "muted small", "判断依据：" + s.duplicate_evidence.join("；")));
      }
    }
    if (s.nearby && s.nearby.length) {
      box.appendChild(el("h3", null, "同一乡镇同类在办案件"));
      var ul2 = el("ul", "dups");
      s.nearby.forEach(function (c) { ul2.appendChild(caseItem(c, false)); });
      box.appendChild(ul2);
    }
    if (!s.duplicate && !(s.nearby && s.nearby.length) && place.length) {
      box.appendChild(el("p", "muted", "未发现同一问题的已受理案件。"));
    }
    if (s.evidence && s.evidence.length) {
      box.appendChild(el("p", "muted small", "依据：" + s.evidence.join("；")));
    }
  }

  function ask() {
    var t = text.value.trim();
    if (t.length < 6 || t === last) return;
    last = t;
    if (inflight && inflight.abort) inflight.abort();
    inflight = window.AbortController ? new AbortController() : null;
    box.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify({ text: t }),
      signal: inflight ? inflight.signal : undefined
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (s) {
      box.removeAttribute("aria-busy");
      render(s);
    }).catch(function (e) {
      if (e && e.name === "AbortError") return;
      box.removeAttribute("aria-busy");
      box.textContent = "";
      box.appendChild(el("p", "muted", "暂时无法获取建议，可继续登记，系统提交后会自动分拣。"));
    });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  county.addEventListener("change", narrowTownships);
  narrowTownships();

  function channelChanged() {
    var c = form.querySelector("input[name=channel]:checked");
    if (received) received.hidden = !!c && c.value === "phone";
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[name=channel]"), function (r) {
    r.addEventListener("change", channelChanged);
  });
  channelChanged();

  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    } else if (e.altKey && e.key === "1") {
      if (applyPlace()) e.preventDefault();
    }
  });
  if (text.value.trim().length >= 6) ask();
})();
