/* Case lookup: the query code never leaves this page.
 *
 * The code is checked (Luhn mod 32 over Crockford Base32), a key is derived from
 * it with PBKDF2 (Web Crypto), the one bucket file it points to is fetched, and
 * the record in it is decrypted with AES-GCM. The server sees only which bucket
 * was asked for, which at least 16 cases share. The protocol is described in
 * sunshine/tracker/sealing.py and docs/privacy.md; this file mirrors it.
 */
(function () {
  "use strict";

  var AAD = new TextEncoder().encode("sunshine-tracker-v2");
  var form = document.getElementById("lookup");
  if (!form) return;
  /* First of all, even where the lookup cannot run: take the code out of the
     address bar or out of storage, so that the browser does not keep it. */
  var pending = takeCode();
  if (!window.crypto || !window.crypto.subtle || !window.DecompressionStream || !window.sunshineCodes) {
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

  /* What people type: any case, spaces or dashes, O for 0, I or L for 1, full-width
     forms; and the check symbol. One reading for every box, in search-box.js (which
     every page loads first). */
  var codes = window.sunshineCodes;
  function normalise(typed) { return codes.normalise(typed); }
  function checkSymbolOk(compact) { return codes.checkSymbolOk(compact); }

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
    var word = ((dk[16] << 24) | (dk[17] << 16) | (dk[18] << 8) | dk[19]) >>> 0;
    /* (word * count) >> 32, exact: the product stays below 2^53. */
    return Math.floor((word * count) / 4294967296);
  }

  /* Bucket file: "SNB2", epoch (16), uint16 entry count, uint16 chunk size C, then
   * entries of tag (8) | C bytes of a record's AES-GCM ciphertext. With mac =
   * dk[20:32], the record's i-th entry has the tag HMAC-SHA256(mac, "entry" | epoch | i)
   * [0:8] and the record's nonce is HMAC-SHA256(mac, "nonce" | epoch)[0:12]: chunks are
   * gathered from i = 0 until a tag is missing, then decrypted as one ciphertext.
   * Resolves to the record's plaintext, or null when the code has no record here. */
  function findRecord(buffer, dk) {
    var data = new Uint8Array(buffer);
    if (String.fromCharCode(data[0], data[1], data[2], data[3]) !== "SNB2") return Promise.reject(new Error("bad bucket"));
    var epoch = data.slice(4, 20);
    var count = (data[20] << 8) | data[21];
    var chunk = (data[22] << 8) | data[23];
    var size = 8 + chunk;
    var offsets = {};
    for (var r = 0, at = 24; r < count; r++, at += size) offsets[hex(data.subarray(at, at + 8))] = at + 8;
    function message(label, index) {
      var text = new TextEncoder().encode(label);
      var out = new Uint8Array(text.length + 16 + (index === null ? 0 : 1));
      out.set(text, 0);
      out.set(epoch, text.length);
      if (index !== null) out[text.length + 16] = index;
      return out;
    }
    return crypto.subtle.importKey("raw", dk.slice(20, 32), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (mac) {
        var parts = [];
        /* Tags of eight chunks at a time: a record rarely has more. */
        function gather(from) {
          var signs = [];
          for (var i = from; i < from + 8 && i < 256; i++) signs.push(crypto.subtle.sign("HMAC", mac, message("entry", i)));
          return Promise.all(signs).then(function (tags) {
            for (var n = 0; n < tags.length; n++) {
              var start = offsets[hex(new Uint8Array(tags[n], 0, 8))];
              if (start === undefined) return;
              parts.push(data.subarray(start, start + chunk));
            }
            if (tags.length === 8) return gather(from + 8);
          });
        }
        return gather(0).then(function () {
          if (!parts.length) return null;
          var sealed = new Uint8Array(parts.length * chunk);
          parts.forEach(function (part, n) { sealed.set(part, n * chunk); });
          return Promise.all([
            crypto.subtle.sign("HMAC", mac, message("nonce", null)),
            crypto.subtle.importKey("raw", dk.slice(0, 16), "AES-GCM", false, ["decrypt"])
          ]).then(function (both) {
            return crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(both[0], 0, 12), additionalData: AAD }, both[1], sealed);
          }).then(function (plain) { return new Uint8Array(plain); });
        });
      });
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function open(found) {
    /* uint16 length, raw-deflated JSON, zero padding (sunshine/tracker/sealing.py). */
    var size = (found[0] << 8) | found[1];
    var stream = new Blob([found.slice(2, 2 + size)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(function (text) { return JSON.parse(text); });
  }

  var namesPromise = null;
  function names() {
    /* Agency and category names: public, the same for every case, fetched once,
       at the start of every lookup whether or not the case turns out to exist,
       so that a found and a not-found lookup make the same requests. */
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

  /* Punctuation as the page's language writes it: Chinese text takes full-width
     marks with no space around them. */
  var P = document.documentElement.lang === "en"
    ? { colon: ": ", open: " (", close: ")", list: ", ", space: " " }
    : { colon: "：", open: "（", close: "）", list: "、", space: "" };

  /* "Art. 34", or "第三十四条" (the numeral from the page: sunshine's one renderer). */
  function article(n) { return t("msg.article").replace("{n}", words["numeral." + n] || n); }

  /* A link to the article on the regulation's page (the 2022 Regulations). */
  function articleLink(n) {
    return el("a", { href: form.getAttribute("data-regulation") + "#art-" + n, "class": "article-link" }, article(n));
  }

  /* The data's time, as the page states it (date and minute, Asia/Shanghai). */
  function asOf() { return (form.getAttribute("data-as-of") || "").slice(0, 16).replace("T", " "); }

  /* The petition office (the office_* settings), repeated where a petitioner
     needs it most: a case not found, a step overdue. Read from the footer's data
     attributes, so no request is made; shown as text only. */
  function officeContact() {
    var source = document.querySelector("footer [data-testid=office-contact]");
    if (!source) return null;
    function value(k) { return source.getAttribute("data-" + k) || ""; }
    var box = el("address", { "class": "office-contact", "data-testid": "office-contact" });
    box.appendChild(el("strong", { "class": "office-name" }, value("office-name")));
    /* The web address as text, as in the footer: the site links only to its own origin. */
    ["address", "phone", "hours", "url"].forEach(function (k) {
      box.appendChild(el("span", { "class": "office-" + k }, value("label-" + k) + P.colon + value("office-" + k)));
    });
    return box;
  }

  /* "Add these dates to my calendar": an iCalendar file (RFC 5545) of the coming
     due dates and the petitioner's own deadline, made here and saved by the
     browser. Nothing is sent, and the file holds dates, steps and articles
     only: no code, no case id, no note (a calendar syncs to other services).
     An empty fragment when no date is still to come. */
  function calendarFile(record, now) {
    var dates = [];
    function articles(list) {
      return list.length ? "\n" + t("msg.article_source") + P.space + list.map(article).join(P.list) : "";
    }
    (record.pending || []).forEach(function (p) {
      if (p.due && p.due >= now) {
        dates.push({ date: p.due, key: p.step, summary: t("msg.cal_due").replace("{step}", t("step." + p.step)),
          detail: t("msg.pending") + P.colon + t("step." + p.step) + (p.provisional ? P.open + t("msg.provisional") + P.close : "") +
            articles(p.article ? [p.article] : []) });
      }
    });
    var own = record.next || {};
    if (own.by && own.by >= now && own.action && own.action !== "none") {
      dates.push({ date: own.by, key: own.action, summary: t("msg.cal_own"),
        detail: t("action." + own.action) + P.space + own.by + articles((words["articles." + own.action] || "").split(" ").filter(Boolean)) });
    }
    if (!dates.length) return document.createDocumentFragment();
    var button = el("button", { type: "button", "class": "button calendar-button", "data-testid": "calendar-file" }, t("msg.calendar"));
    button.addEventListener("click", function () {
      /* A blob: URL is the browser's own memory, not a request; iOS Safari opens
         text/calendar in Calendar, other browsers save the file. */
      var url = URL.createObjectURL(new Blob([icsText(dates)], { type: "text/calendar;charset=utf-8" }));
      var save = el("a", { href: url, download: "deadlines.ics", hidden: "" });
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    });
    return button;
  }

  function icsText(dates) {
    var bytes = new TextEncoder();
    function escape(text) { return String(text).replace(/[\\;,]/g, "\\$&").replace(/\r?\n/g, "\\n"); }
    /* Lines longer than 75 octets are folded (CRLF and a space), never inside a character. */
    function fold(line) {
      var out = "", size = 0;
      Array.from(line).forEach(function (ch) {
        var n = bytes.encode(ch).length;
        if (size + n > 75) { out += "\r\n "; size = 1; }
        out += ch; size += n;
      });
      return out;
    }
    function day(iso, plus) {
      var d = new Date(iso + "T00:00:00Z");
      d.setUTCDate(d.getUTCDate() + plus);
      return d.toISOString().slice(0, 10).replace(/-/g, "");
    }
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    var page = location.origin + location.pathname;
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Sunshine//Case deadlines//" + (document.documentElement.lang || "zh").toUpperCase(), "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    dates.forEach(function (d) {
      lines.push("BEGIN:VEVENT",
        /* From the date and the step: importing again updates the event instead of doubling it. */
        "UID:" + d.date + "-" + d.key + "@" + location.host,
        "DTSTAMP:" + stamp, "DTSTART;VALUE=DATE:" + day(d.date, 0), "DTEND;VALUE=DATE:" + day(d.date, 1),
        "SUMMARY:" + escape(d.summary), "DESCRIPTION:" + escape(d.detail + "\n" + page), "TRANSP:TRANSPARENT",
        "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D", "DESCRIPTION:" + escape(d.summary), "END:VALARM",
        "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
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
    /* Stated as of the data's time, not as a fact about today: the step may
       have been done since the last fetch. */
    if (overdue) {
      box.appendChild(el("p", { "class": "overdue", "data-testid": "overdue" }, t("msg.overdue").replace("{when}", asOf())));
      var office = officeContact();
      if (office) box.appendChild(office);
    }

    var facts = el("dl", { "class": "case-facts" });
    function fact(label, value) { if (value) { facts.appendChild(el("dt", {}, label)); facts.appendChild(el("dd", {}, value)); } }
    fact(t("msg.received"), record.received);
    fact(t("msg.category"), name((names.categories || {})[record.category], lang));
    fact(t("msg.agency"), name((names.agencies || {})[record.agency], lang) || record.agency);
    fact(t("msg.as_of"), form.getAttribute("data-as-of").slice(0, 16).replace("T", " "));
    box.appendChild(facts);

    /* The next step as of today, as sunshine/cases/routes.py current_next(): the
       remedy for the earliest pending step past due, else the record's own. */
    var late = (record.pending || []).filter(function (p) { return p.due < now; })
      .sort(function (a, b) { return a.due < b.due ? -1 : (a.due > b.due ? 1 : 0); });
    var shown = late.length ? { action: "overdue_" + late[0].step, since: late[0].due } : (record.next || {});
    if (shown.action && shown.action !== "none") {
      var next = nextStep(shown.action, shown.by || shown.since);
      /* Only the petitioner's own window can end unused; an agency's passed
         limit is what the remedy is about. */
      if (shown.by && shown.by < now) next.appendChild(el("p", {}, t("msg.next_passed")));
      (record.pending || []).forEach(function (p) {
        /* Past its due date the step is "not recorded as of" the data's time, never
           "not done": it may have been done since the last fetch. */
        next.appendChild(el("p", { "class": p.due < now ? "late" : "" },
          t("msg.pending") + P.colon + t("step." + p.step) + " — " + t("msg.due") + " " + p.due +
          (p.provisional ? P.open + t("msg.provisional") + P.close : "") + P.open + article(p.article) + P.close +
          (p.due < now ? " — " + t("msg.not_recorded").replace("{when}", asOf()) : "")));
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
          t("msg.due") + " " + e.due + (e.provisional ? P.open + t("msg.provisional") + P.close : "") + " · ");
        if (e.article) { due.appendChild(articleLink(e.article)); due.appendChild(document.createTextNode(" · ")); }
        due.appendChild(document.createTextNode(e.late ? t("msg.late") : t("msg.on_time")));
        item.appendChild(due);
      }
      if (e.note) item.appendChild(el("p", { "class": "note" }, t("msg.note") + P.colon + e.note));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(calendarFile(record, now));
    var print = el("button", { type: "button", "class": "button print-button" }, t("msg.print"));
    print.addEventListener("click", function () { window.print(); });
    box.appendChild(print);
    return box;
  }

  /* No case for this code: say so, and whom to ask. */
  function notFound() {
    var box = el("div", { "data-testid": "case-not-found", "class": "notice" });
    box.appendChild(el("p", {}, t("msg.notfound")));
    box.appendChild(nextStep("not_found"));
    var office = officeContact();
    if (office) box.appendChild(office);
    return box;
  }

  /* What the petitioner may do next: the action's words (with its date), the
     articles it rests on and the guide section that explains it. */
  function nextStep(action, date) {
    var next = el("div", { "class": "case-next", "data-testid": "next-step", "data-action": action });
    next.appendChild(el("h3", {}, t("msg.next")));
    var nextLine = el("p", {}, t("action." + action) + (date ? P.space + date : ""));
    var articles = (words["articles." + action] || "").split(" ").filter(Boolean);
    if (articles.length) {
      nextLine.appendChild(document.createTextNode(P.open + t("msg.article_source") + P.space));
      articles.forEach(function (n, i) {
        if (i) nextLine.appendChild(document.createTextNode(P.list));
        nextLine.appendChild(articleLink(n));
      });
      nextLine.appendChild(document.createTextNode(P.close));
    }
    next.appendChild(nextLine);
    var guide = words["guide." + action];
    if (guide) {
      var more = el("p", { "class": "guide-link" });
      more.appendChild(el("a", { href: guide, "data-testid": "next-step-guide" }, t("msg.guide")));
      next.appendChild(more);
    }
    return next;
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
    /* The code stays in this page: not in a request, nor in the address bar or
       the history (no fragment is written). */
    status.textContent = t("msg.working");
    var namesLoaded = names(); /* always, and before the bucket: see names() */
    return derive(compact).then(function (dk) {
      var url = form.getAttribute("data-buckets") + bucketOf(dk).toString(16).padStart(5, "0") + ".bin";
      return fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" })
        .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.arrayBuffer(); })
        .then(function (buffer) {
          return findRecord(buffer, dk);
        })
        .then(function (found) {
          if (!found) { show(notFound()); return; }
          return Promise.all([open(found, dk), namesLoaded]).then(function (both) { show(render(both[0], both[1])); });
        });
    }).catch(function () {
      show(el("p", { "class": "notice error", "data-testid": "lookup-error" }, t("msg.error")));
    });
  }

  /* A link (the QR code on a receipt) may carry the code in the fragment,
     /track/#code=...: read it, then replace the address with the bare path at
     once, so that neither the address bar nor later history keeps it. */
  function fromFragment() {
    var match = /(?:^#|&)code=([^&]*)/.exec(location.hash);
    if (!match) return null;
    history.replaceState(history.state, "", location.pathname);
    try { return decodeURIComponent(match[1]); } catch (e) { return match[1]; }
  }

  /* Another page's box hands a code over in sessionStorage under the key
     "sunshine-code" (search-box.js writes it too); it is removed on reading,
     whatever happens next. A literal, not a variable: this runs first of all. */
  function takeHandedOver() {
    try {
      var code = sessionStorage.getItem("sunshine-code");
      sessionStorage.removeItem("sunshine-code");
      return code;
    } catch (e) { return null; }
  }

  /* The code this page was opened with; on the home page (no result area) a
     leftover is just dropped. */
  function takeCode() {
    var handed = takeHandedOver();
    var linked = fromFragment();
    return document.getElementById("lookup-result") ? (linked || handed) : null;
  }

  /* The home page's box hands the code to the tracker without a URL: written to
     sessionStorage (this tab only, never sent anywhere), then /track/ opens
     bare and takes it out at once. Chosen over a lookup in place because the
     header search box on every page must hand codes over too, and one way in
     keeps the tracker the only page that shows a case, with its own wording. */
  function handOver(typed) {
    try { if (typed) sessionStorage.setItem("sunshine-code", typed); } catch (e) { /* no storage: the tracker opens empty */ }
    input.value = ""; /* nor kept in this page, should it come back from the cache */
    location.assign(form.getAttribute("data-track"));
  }

  form.querySelector("fieldset").disabled = false;
  if (!result) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      handOver(input.value.trim());
    });
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    lookup(input.value);
  });
  /* Leaving the page: the back-forward cache would keep the code and the case in
     memory for whoever presses Back on this device. */
  window.addEventListener("pagehide", function () {
    input.value = "";
    result.replaceChildren();
  });
  /* A #code= link followed while the tracker is open: no reload, only this. */
  window.addEventListener("hashchange", function () {
    var code = fromFragment();
    if (code) { input.value = code; lookup(code); }
  });
  if (pending) { input.value = pending; lookup(pending); }
})();
