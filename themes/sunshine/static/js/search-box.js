/* The header's search box, and what keeps a query code out of every URL.
 *
 * Words go to the search page in the URL fragment, which browsers never send to
 * the server (a plain form would put them in the query string, and so in the
 * host's logs). The box's input has no name in the markup: without JavaScript
 * the form sends nothing, it only opens the search page, which needs JavaScript
 * anyway and says so. So no query string ever carries what was typed.
 *
 * A query code typed here or on the search page is not searched (the shards a
 * search fetches would tell the server something of it) and is put in no URL,
 * not even a fragment (the browser keeps those in its history): it is handed to
 * the tracker in sessionStorage, which the tracker reads and clears at once.
 */
(function () {
  "use strict";

  var KEY = "sunshine-code"; /* read and removed by track.js */
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  /* What a code may have between its symbols (dashes, spaces, dots). */
  var SEPARATORS = /[\s\-\u2010-\u2014_.]+/g;
  /* A code inside other words: four groups of four symbols with separators
     between them, or sixteen in a row, not part of a longer word. Symbols in
     any case, with O, I and L for 0 and 1 (so: every Latin letter but U). */
  var S = "[0-9A-TV-Za-tv-z]";
  var INSIDE = new RegExp("(?:^|[^0-9A-Za-z])(" + S + "{4}(?:[\\s\\-\\u2010-\\u2014_.]+" + S + "{4}){3}|" + S + "{16})(?![0-9A-Za-z])", "g");

  function compact(text) {
    var out = text.replace(SEPARATORS, "").toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
    if (out.length !== 16) return null;
    for (var i = 0; i < 16; i++) if (ALPHABET.indexOf(out[i]) < 0) return null;
    return out;
  }

  function checkSymbolOk(code) {
    var total = 0, factor = 1;
    for (var i = code.length - 1; i >= 0; i--) {
      var addend = factor * ALPHABET.indexOf(code[i]);
      total += Math.floor(addend / 32) + (addend % 32);
      factor = factor === 2 ? 1 : 2;
    }
    return total % 32 === 0;
  }

  /* Sixteen letters can be words ("what time does work"): a candidate typed
     with no digit counts only if its check symbol is right. A code has a digit
     but for one in 400, and it is mistyped besides for the rest to pass as words. */
  function plausible(typed) {
    var code = compact(typed);
    return code && (/[0-9]/.test(typed) || checkSymbolOk(code)) ? code : null;
  }

  /* The code in what was typed, compact (16 symbols), or null. Full-width
     forms, as a Chinese input method may type them, count as the plain ones.
     Of overlapping candidates ("code K7Q2 9MXD P4TR ZH3Z" holds two), the
     first whose check symbol is right wins; any candidate keeps the text out
     of the URL. */
  function findCode(typed) {
    var text = String(typed || "").normalize("NFKC");
    var found = [plausible(text.trim())];
    INSIDE.lastIndex = 0;
    for (var m; (m = INSIDE.exec(text));) {
      found.push(plausible(m[1]));
      INSIDE.lastIndex = m.index + 1;
    }
    found = found.filter(Boolean);
    return found.filter(checkSymbolOk)[0] || found[0] || null;
  }

  var box = document.querySelector("form.header-search");

  /* To the tracker of this page's language, the code in this tab's storage only. */
  function toTracker(code) {
    try { sessionStorage.setItem(KEY, code); } catch (e) { /* no storage: the tracker opens empty */ }
    location.assign(box.getAttribute("data-track"));
  }

  /* A code handed over but never taken (the tracker failed to open) is not kept. */
  if (!document.getElementById("lookup-result")) {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* no storage, nothing kept */ }
  }

  /* For search.js and track.js, loaded after this: one reading of a code for every box.
     normalise: what was typed (full-width forms as plain), compact, or null. */
  window.sunshineCodes = {
    find: findCode,
    toTracker: toTracker,
    normalise: function (typed) { return compact(String(typed || "").normalize("NFKC")); },
    checkSymbolOk: checkSymbolOk
  };

  if (!box) return;
  var input = box.querySelector("input");
  box.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = input.value;
    var code = findCode(q);
    input.value = ""; /* nor kept in this page, should it come back from the cache */
    if (code) toTracker(code);
    else location.assign(box.getAttribute("action") + "#q=" + encodeURIComponent(q));
  });
  input.name = "q"; /* only now that submitting goes through the handler above */

})();
