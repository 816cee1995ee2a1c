/* Case lookup: the query code never leaves this page.
 *
 * The code is checked (Luhn mod 32 over Crockford Base32), a key is derived from
 * it with PBKDF2 (Web Crypto), the one bucket file it points to is fetched, and
 * the record in it is decrypted with AES-GCM. The server sees only which bucket
 * was asked for, which at least 16 cases share. The protocol is described in
 * sunshine/sealing.py and docs/privacy.md; this file mirrors it.
 */
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var AAD = new TextEncoder().encode("sunshine-tracker-v1");
  var form = document.getElementById("lookup");
  if (!form) return;
  if (!window.crypto || !window.crypto.subtle || !window.DecompressionStream) {
    var unsupported = document.getElementById("lookup-unsupported");
    if (unsupported) unsupported.hidden = false;
    return;
  }
  var input = form.querySelector("input[name=code]");
  var result = document.getElementById("lookup-result");
  var status = document.getElementById("lookup-status");
  var textNode = document.getElementById("tracker-text");
  var words = {};
  var completed = {};
  if (textNode) {
    textNode.querySelectorAll("[data-k]").forEach(function (el) { words[el.getAttribute("data-k")] = el.textContent; });
    (textNode.getAttribute("data-completed") || "").split(" ").forEach(function (s) { if (s) completed[s] = true; });
  }
  function t(key) { return words[key] !== undefined ? words[key] : key; }

  /* What people type: any case, spaces or dashes, O for 0, I or L for 1. */
  function normalise(typed) {
    var compact = typed.trim().replace(/[\s\-\u2010-\u2014_.]+/g, "").toUpperCase()
      .replace(/O/g, "0").replace(/[IL]/g, "1");
    if (compact.length !== 16) return null;
    for (var i = 0; i < 16; i++) if (ALPHABET.indexOf(compact[i]) < 0) return null;
    return compact;
  }

  function checkSymbolOk(compact) {
    var total = 0, factor = 1;
    for (var i = compact.length - 1; i >= 0; i--) {
      var addend = factor * ALPHABET.indexOf(compact[i]);
      total += Math.floor(addend / 32) + (addend % 32);
      factor = factor === 2 ? 1 : 2;
    }
    return total % 32 === 0;
  }

  function grouped(compact) { return compact.match(/.{4}/g).join("-"); }

  function hexBytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function derive(compact) {
    var salt = hexBytes(form.getAttribute("data-salt"));
    var iterations = parseInt(form.getAttribute("data-iterations"), 10);
    return crypto.subtle.importKey("raw", new TextEncoder().encode(compact), "PBKDF2", false, ["deriveBits"])
      .then(function (key) {
        return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iterations }, key, 256);
      })
      .then(function (bits) { return new Uint8Array(bits); });
  }

  function bucketOf(dk) {
    var count = parseInt(form.getAttribute("data-buckets-count"), 10);
    var word = ((dk[24] << 24) | (dk[25] << 16) | (dk[26] << 8) | dk[27]) >>> 0;
    /* (word * count) >> 32, exact: the product stays below 2^53. */
    return Math.floor((word * count) / 4294967296);
  }

  function findRecord(buffer, dk) {
    var data = new Uint8Array(buffer);
    if (String.fromCharCode(data[0], data[1], data[2], data[3]) !== "SNB1") throw new Error("bad bucket");
    var count = (data[4] << 8) | data[5];
    var offset = 6;
    for (var r = 0; r < count; r++) {
      var match = true;
      for (var i = 0; i < 8; i++) if (data[offset + i] !== dk[16 + i]) { match = false; break; }
      var length = (data[offset + 8] << 8) | data[offset + 9];
      var start = offset + 10;
      if (match) return { nonce: data.slice(start, start + 12), sealed: data.slice(start + 12, start + length) };
      offset = start + length;
    }
    return null;
  }

  function open(found, dk) {
    return crypto.subtle.importKey("raw", dk.slice(0, 16), "AES-GCM", false, ["decrypt"])
      .then(function (key) {
        return crypto.subtle.decrypt({ name: "AES-GCM", iv: found.nonce, additionalData: AAD }, key, found.sealed);
      })
      .then(function (plain) {
        /* uint16 length, raw-deflated JSON, zero padding (sunshine/sealing.py). */
        var bytes = new Uint8Array(plain);
        var size = (bytes[0] << 8) | bytes[1];
        var stream = new Blob([bytes.slice(2, 2 + size)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        return new Response(stream).text();
      })
      .then(function (text) { return JSON.parse(text); });
  }

  var namesPromise = null;
  function names() {
    /* Agency and category names: public, the same for every case, fetched once. */
    if (!namesPromise) {
      namesPromise = fetch(form.getAttribute("data-buckets").replace(/b\/$/, "names.json"), { credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
    }
    return namesPromise;
  }

  function today() {
    /* Overdue is judged against today's date in Asia/Shanghai, whatever the viewer's zone. */
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text; /* text only: markup never runs */
    return node;
  }

  function name(names, lang) {
    if (!names) return null;
    return names[lang] || names.zh || null;
  }

  function article(n) { return t("msg.article").replace("{n}", n); }

  /* A link to the article on the regulation's page (the 2022 Regulations). */
  function articleLink(n) {
    return el("a", { href: form.getAttribute("data-regulation") + "#art-" + n, "class": "article-link" }, article(n));
  }

  function render(record, names) {
    var now = today();
    var overdue = (record.pending || []).some(function (p) { return p.due < now; });
    var colour = overdue ? "red" : (completed[record.status] ? "blue" : "green");
    var lang = document.documentElement.lang === "en" ? "en" : "zh";
    var box = el("section", {
      "data-testid": "case-result", "data-status": record.status, "data-overdue": String(overdue),
      "class": "case-result colour-" + colour, "aria-labelledby": "case-status"
    });
    var head = el("h2", { id: "case-status", "class": "case-status" });
    head.appendChild(el("span", { "class": "status-icon icon-" + (t("icon." + record.status)), "aria-hidden": "true" }));
    head.appendChild(el("span", {}, t("status." + record.status)));
    box.appendChild(head);
    if (overdue) box.appendChild(el("p", { "class": "overdue", "data-testid": "overdue" }, t("msg.overdue")));

    var facts = el("dl", { "class": "case-facts" });
    function fact(label, value) { if (value) { facts.appendChild(el("dt", {}, label)); facts.appendChild(el("dd", {}, value)); } }
    fact(t("msg.received"), record.received);
    fact(t("msg.category"), name((names.categories || {})[record.category], lang));
    fact(t("msg.agency"), name((names.agencies || {})[record.agency], lang) || record.agency);
    fact(t("msg.as_of"), form.getAttribute("data-as-of").slice(0, 16).replace("T", " "));
    box.appendChild(facts);

    if (record.next && record.next.action && record.next.action !== "none") {
      var next = el("div", { "class": "case-next", "data-testid": "next-step" });
      next.appendChild(el("h3", {}, t("msg.next")));
      var line = t("action." + record.next.action);
      if (record.next.by) line += " " + record.next.by;
      var nextLine = el("p", {}, line);
      if (record.next.article) {
        nextLine.appendChild(document.createTextNode(" (" + t("msg.article_source") + " "));
        nextLine.appendChild(articleLink(record.next.article));
        nextLine.appendChild(document.createTextNode(")"));
      }
      next.appendChild(nextLine);
      if (record.next.by && record.next.by < now && record.next.action !== "wait") next.appendChild(el("p", {}, t("msg.next_passed")));
      (record.pending || []).forEach(function (p) {
        next.appendChild(el("p", { "class": p.due < now ? "late" : "" },
          t("msg.pending") + ": " + t("step." + p.step) + " — " + t("msg.due") + " " + p.due +
          (p.provisional ? " (" + t("msg.provisional") + ")" : "") + " (" + article(p.article) + ")"));
      });
      box.appendChild(next);
    }

    box.appendChild(el("h3", {}, t("msg.timeline")));
    var list = el("ol", { "class": "timeline" });
    (record.events || []).forEach(function (e) {
      var attrs = { "data-testid": "timeline-step", "data-stage": e.type, "data-date": e.date };
      if (e.due) attrs["data-due"] = e.due;
      var item = el("li", attrs);
      item.appendChild(el("time", { datetime: e.date }, e.date));
      item.appendChild(el("strong", {}, " " + t("event." + e.type)));
      var agency = name((names.agencies || {})[e.agency], lang);
      if (agency) item.appendChild(el("span", { "class": "agency" }, " · " + agency));
      if (e.outcome) item.appendChild(el("span", {}, " · " + t("outcome." + e.outcome)));
      if (e.days) item.appendChild(el("span", {}, " · " + t("msg.days").replace("{n}", e.days)));
      if (e.due) {
        var due = el("p", { "class": "due" + (e.late ? " late" : "") },
          t("msg.due") + " " + e.due + (e.provisional ? " (" + t("msg.provisional") + ")" : "") + " · ");
        if (e.article) { due.appendChild(articleLink(e.article)); due.appendChild(document.createTextNode(" · ")); }
        due.appendChild(document.createTextNode(e.late ? t("msg.late") : t("msg.on_time")));
        item.appendChild(due);
      }
      if (e.note) item.appendChild(el("p", { "class": "note" }, t("msg.note") + ": " + e.note));
      list.appendChild(item);
    });
    box.appendChild(list);
    var print = el("button", { type: "button", "class": "button print-button" }, t("msg.print"));
    print.addEventListener("click", function () { window.print(); });
    box.appendChild(print);
    return box;
  }

  function show(node) {
    result.replaceChildren(node);
    status.textContent = "";
    result.focus();
  }

  function lookup(typed) {
    var compact = normalise(typed);
    if (!compact || !checkSymbolOk(compact)) {
      show(el("p", { "data-testid": "code-invalid", "class": "notice error" }, t("msg.invalid")));
      return Promise.resolve();
    }
    input.value = grouped(compact);
    /* The code goes in the fragment only: it is never sent in a request. */
    history.replaceState(null, "", "#code=" + grouped(compact));
    status.textContent = t("msg.working");
    return derive(compact).then(function (dk) {
      var url = form.getAttribute("data-buckets") + bucketOf(dk).toString(16).padStart(5, "0") + ".bin";
      return fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" })
        .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.arrayBuffer(); })
        .then(function (buffer) {
          var found = findRecord(buffer, dk);
          if (!found) { show(el("p", { "data-testid": "case-not-found", "class": "notice" }, t("msg.notfound"))); return; }
          return Promise.all([open(found, dk), names()]).then(function (both) { show(render(both[0], both[1])); });
        });
    }).catch(function () {
      show(el("p", { "class": "notice error", "data-testid": "lookup-error" }, t("msg.error")));
    });
  }

  function fromFragment() {
    var match = /(?:^#|&)code=([^&]*)/.exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  form.querySelector("fieldset").disabled = false;
  if (!result) {
    /* The home page's box: go to the tracker with the code in the fragment only. */
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      location.href = form.getAttribute("data-track") + "#code=" + encodeURIComponent(input.value.trim());
    });
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    lookup(input.value);
  });
  window.addEventListener("hashchange", function () {
    var code = fromFragment();
    if (code && normalise(code) !== normalise(input.value)) { input.value = code; lookup(code); }
  });
  var initial = fromFragment();
  if (initial) { input.value = initial; lookup(initial); }
})();
