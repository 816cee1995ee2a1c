/* Site search, entirely in the browser, ranked exactly as the Whoosh index of record.
 *
 * The build exports, for every term, Whoosh's own BM25F score of each document
 * that contains it (search_index/export.py). Whoosh scores an OR query as the sum
 * of its terms' scores, so this file analyses the query the way the index did
 * (search_index/analysis.py: NFKC, lower case, Chinese character pairs, English
 * words stemmed with Whoosh's Porter stemmer), fetches the shards of its terms,
 * adds up the scores and sorts by score, then by document number, as Whoosh does.
 * Hits come ten at a time ("more" appends the next ten); hits of a text no longer in
 * force carry its status and successor (export.py's "s" and "r").
 * The query stays in the page: it is read from and written to the URL fragment.
 * A query code is neither searched nor written anywhere: search-box.js finds it
 * and hands it to the tracker.
 */
(function () {
  "use strict";

  var form = document.getElementById("search");
  if (!form) return;
  /* Without the code guard (search-box.js) the form stays hidden: unusable, never unsafe. */
  var codes = window.sunshineCodes;
  if (!codes) return;
  var base = form.getAttribute("data-index");
  var input = form.querySelector("input[name=q]");
  var kindSelect = form.querySelector("select[name=kind]");
  var langSelect = form.querySelector("select[name=lang]");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var LIMIT = 10;

  // --- analysis (search_index/analysis.py) ----------------------------------

  var STOP = {};
  ("a an and are as at be by can for from have if in is it may not of on or tbd that the " +
   "this to us we when will with yet you your").split(" ").forEach(function (w) { STOP[w] = true; });
  var RUNS = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([a-z0-9]+)/g;

  /* Whoosh's Porter stemmer (whoosh/lang/porter.py), step for step. Python's
   * re.match anchors at the start only, hence the "^" added to some patterns
   * below: they then match exactly what Whoosh's do. */
  var step2list = {ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize",
    bli: "ble", alli: "al", entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate",
    ator: "ate", alism: "al", iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al",
    iviti: "ive", biliti: "ble", logi: "log"};
  var step3list = {icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: ""};
  var C = "[^aeiouy]+", V = "[aeiou]+";
  var mgr0 = new RegExp("^(" + C + ")?" + V + C);
  var meq1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
  var mgr1 = new RegExp("^(" + C + ")?" + V + C + V + C);
  var sv = new RegExp("^(" + C + ")?[aeiouy]");
  var cv = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$");
  var edIng = /^(.*)(ed|ing)$/;
  var atBlIz = /^(at|bl|iz)$/;
  var step1b = /^([^aeiouylsz])\1$/;
  var re2 = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
  var re3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
  var re41 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
  var re42 = /^(.+?)(s|t)(ion)$/;
  var re5 = /^(.+?)e$/;

  function stem(w) {
    if (w.length < 3) return w;
    var firstY = w.charAt(0) === "y";
    if (firstY) w = "Y" + w.slice(1);
    var m, s;
    if (/s$/.test(w)) {
      if (/sses$/.test(w)) w = w.slice(0, -2);
      else if (/ies$/.test(w)) w = w.slice(0, -2);
      else if (w.charAt(w.length - 2) !== "s") w = w.slice(0, -1);
    }
    if (/eed$/.test(w)) {
      if (mgr0.test(w.slice(0, -3))) w = w.slice(0, -1);
    } else if ((m = edIng.exec(w))) {
      s = m[1];
      if (sv.test(s)) {
        w = s;
        if (atBlIz.test(w)) w += "e";
        else if (step1b.test(w)) w = w.slice(0, -1);
        else if (cv.test(w)) w += "e";
      }
    }
    if (/y$/.test(w)) {
      s = w.slice(0, -1);
      if (sv.test(s)) w = s + "i";
    }
    if ((m = re2.exec(w)) && mgr0.test(m[1])) w = m[1] + step2list[m[2]];
    if ((m = re3.exec(w)) && mgr0.test(m[1])) w = m[1] + step3list[m[2]];
    if ((m = re41.exec(w))) {
      if (mgr1.test(m[1])) w = m[1];
    } else if ((m = re42.exec(w))) {
      s = m[1] + m[2];
      if (mgr1.test(s)) w = s;
    }
    if ((m = re5.exec(w))) {
      s = m[1];
      if (mgr1.test(s) || (meq1.test(s) && !cv.test(s))) w = s;
    }
    if (/ll$/.test(w) && mgr1.test(w)) w = w.slice(0, -1);
    if (firstY) w = "y" + w.slice(1);
    return w;
  }

  /* [term, start, end] for every term of text (offsets in the normalised text). */
  function analyse(text) {
    var normal = text.normalize("NFKC").toLowerCase();
    var out = [], m, i, pos;
    RUNS.lastIndex = 0;
    while ((m = RUNS.exec(normal))) {
      if (m[1] !== undefined) {
        var run = Array.from(m[1]), at = m.index, offsets = [];
        for (i = 0, pos = at; i < run.length; i++) { offsets.push(pos); pos += run[i].length; }
        offsets.push(pos);
        if (run.length === 1) out.push([run[0], at, offsets[1]]);
        for (i = 0; i + 1 < run.length; i++) out.push([run[i] + run[i + 1], offsets[i], offsets[i + 2]]);
      } else if (m[2].length >= 2 && !STOP[m[2]]) {
        out.push([stem(m[2]), m.index, m.index + m[2].length]);
      }
    }
    return out;
  }

  function queryTerms(q) {
    var seen = {}, out = [];
    analyse(q).forEach(function (t) { if (!seen[t[0]]) { seen[t[0]] = true; out.push(t[0]); } });
    return out;
  }

  // --- the index (search_index/export.py) -----------------------------------

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h >>> 0;
  }

  var cache = {};
  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  /* The ranked documents: [{doc, score}], best first, ties by document number. */
  function rank(terms, kind, lang) {
    return getJSON("meta.json").then(function (meta) {
      var shardOf = {};
      terms.forEach(function (t) { shardOf[t] = fnv1a(t) % meta.shards; });
      var wanted = Array.from(new Set(Object.values(shardOf)));
      return Promise.all(wanted.map(function (s) { return getJSON("t/" + s + ".json"); }))
        .then(function (loaded) {
          var byShard = {};
          wanted.forEach(function (s, i) { byShard[s] = loaded[i]; });
          var scores = new Map();
          terms.forEach(function (t) {
            var entry = byShard[shardOf[t]][t];
            if (!entry) return;
            for (var i = 0; i < entry.length; i += 2) {
              scores.set(entry[i], (scores.get(entry[i]) || 0) + entry[i + 1]);
            }
          });
          var k = kind ? String(meta.kinds.indexOf(kind)) : null;
          var l = lang ? String(meta.langs.indexOf(lang)) : null;
          var hits = [];
          scores.forEach(function (score, doc) {
            if ((k === null || meta.k.charAt(doc) === k) && (l === null || meta.l.charAt(doc) === l)) {
              hits.push({doc: doc, score: score});
            }
          });
          hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
          return hits;
        });
    });
  }

  // --- showing results --------------------------------------------------------

  /* The text as analyse() sees it (NFKC, one character at a time), and for each of
     its characters where that character starts and ends in the text as written. */
  function normalised(text) {
    var normal = "", from = [], to = [], at = 0;
    Array.from(text).forEach(function (ch) {
      var n = ch.normalize("NFKC");
      for (var i = 0; i < n.length; i++) { from.push(at); to.push(at + ch.length); }
      normal += n;
      at += ch.length;
    });
    from.push(at); to.push(at);
    /* Characters that combine across (a letter and its accent) normalise
       differently together: then the passage is shown normalised. */
    if (normal !== normal.normalize("NFKC") || normal.toLowerCase().length !== normal.length) {
      normal = text.normalize("NFKC");
      return { text: normal, shown: normal, from: null };
    }
    return { text: normal, shown: text, from: from, to: to };
  }

  /* The passage around the first match, matches marked. Terms are found in the
     normalised text, but the passage is cut from the text as written: NFKC would
     turn Chinese full-width punctuation (，：（）) into ASCII. */
  function snippet(text, terms) {
    var norm = normalised(text);
    var wanted = {};
    terms.forEach(function (t) { wanted[t] = true; });
    var spans = analyse(norm.text).filter(function (t) { return wanted[t[0]]; }).map(function (t) {
      return norm.from ? [t[0], norm.from[t[1]], norm.to[t[2] - 1]] : t;
    });
    text = norm.shown;
    var start = spans.length ? Math.max(0, spans[0][1] - 40) : 0;
    var end = Math.min(text.length, start + 160);
    var p = document.createElement("p");
    var at = start;
    spans.forEach(function (s) {
      if (s[1] < at || s[2] > end) return;
      if (s[1] > at) p.appendChild(document.createTextNode(text.slice(at, s[1])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s[1], s[2]);
      p.appendChild(mark);
      at = s[2];
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? "…" : "")));
    if (start > 0) p.insertBefore(document.createTextNode("…"), p.firstChild);
    return p;
  }

  function label(name) { return form.getAttribute("data-label-" + name) || name; }
  function listLabel(name) { return list.getAttribute("data-label-" + name) || label(name); }

  /* "One result.", "8 results.", "25 results; the 10 most relevant are shown.",
     and once more are shown, "25 results; the 20 most relevant are shown." */
  function found(n, shown) {
    if (!n) return label("nothing");
    if (n === 1) return label("found-one");
    if (n <= shown) return label("found-all").replace("%(n)s", n);
    if (shown > LIMIT) return listLabel("found-shown").replace("%(n)s", n).replace("%(shown)s", shown);
    return label("found").replace("%(n)s", n);
  }

  /* A text not in force says so at its hit: "Repealed · Superseded by <its successor>". */
  function standing(d) {
    if (!d.s) return null;
    var span = document.createElement("span");
    span.className = "standing";
    span.setAttribute("data-testid", "search-standing");
    var text = listLabel(d.s === "repealed" ? "repealed" : "superseded");
    if (d.r) {
      var english = (document.documentElement.lang || "").indexOf("en") === 0;
      text += " · " + listLabel("successor") + (english ? " " : "") + d.r[english ? 1 : 0];
    }
    span.textContent = text;
    return span;
  }

  function render(d, hit, terms) {
    var li = document.createElement("li");
    li.setAttribute("data-testid", "search-result");
    li.setAttribute("data-score", hit.score.toFixed(4));
    li.setAttribute("data-kind", d.k);
    li.setAttribute("lang", d.l === "zh" ? "zh-CN" : d.l);
    var a = document.createElement("a");
    a.href = form.getAttribute("data-site") + d.u;
    a.textContent = d.t;
    var kindNote = document.createElement("span");
    kindNote.className = "kind";
    kindNote.textContent = label(d.k);
    li.appendChild(a);
    li.appendChild(kindNote);
    var mark = standing(d);
    if (mark) li.appendChild(mark);
    li.appendChild(snippet(d.x, terms));
    return li;
  }

  var shown = 0, current = null;

  /* The next page of LIMIT hits, appended; nothing leaves the page but requests for
     the documents' own files (d/<doc>.json), which name no query. */
  function more() {
    var search = current;
    var page = search.hits.slice(shown, shown + LIMIT);
    return Promise.all(page.map(function (h) { return getJSON("d/" + h.doc + ".json"); }))
      .then(function (docs) {
        if (search !== current) return;  // a newer search replaced this one
        docs.forEach(function (d, i) { list.appendChild(render(d, page[i], search.terms)); });
        shown += page.length;
        status.textContent = found(search.hits.length, shown);
        if (moreButton) moreButton.hidden = shown >= search.hits.length;
      });
  }

  var moreButton = document.getElementById("search-more");
  if (moreButton) {
    moreButton.addEventListener("click", function () {
      var first = list.children.length;
      more().then(function () {
        /* Focus moves to the first new hit, so keyboard and screen reader users go on from there. */
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) next.focus();
      }).catch(function () { status.textContent = label("error"); });
    });
  }

  function show(q, kind, lang) {
    var terms = queryTerms(q);
    list.textContent = "";
    shown = 0;
    current = null;
    if (moreButton) moreButton.hidden = true;
    if (!terms.length) { status.textContent = q ? label("nothing") : ""; return; }
    status.textContent = label("searching");
    rank(terms, kind, lang).then(function (hits) {
      current = {hits: hits, terms: terms};
      return more();
    }).catch(function () { status.textContent = label("error"); });
  }

  function fromFragment() {
    var params = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
    var q = params.get("q") || "";
    var code = codes.find(q);
    if (code) {
      /* A link carried a code: out of the address bar, and to the tracker. */
      history.replaceState(history.state, "", location.pathname);
      codes.toTracker(code);
      return;
    }
    input.value = q;
    if (kindSelect) kindSelect.value = params.get("kind") || "";
    if (langSelect) langSelect.value = params.get("lang") || "";
    if (location.search) history.replaceState(null, "", location.pathname + "#" + params.toString());
    if (q) show(q, params.get("kind") || "", params.get("lang") || "");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codes.find(input.value);
    if (code) { input.value = ""; codes.toTracker(code); return; }
    var params = new URLSearchParams();
    params.set("q", input.value);
    if (kindSelect && kindSelect.value) params.set("kind", kindSelect.value);
    if (langSelect && langSelect.value) params.set("lang", langSelect.value);
    history.replaceState(null, "", "#" + params.toString());
    show(input.value, params.get("kind") || "", params.get("lang") || "");
  });
  window.addEventListener("hashchange", fromFragment);
  form.hidden = false;
  fromFragment();

  // For the tests: the analyser and ranking, to compare with the index of record.
  window.sunshineSearch = {analyse: analyse, queryTerms: queryTerms, stem: stem, rank: rank};
})();
