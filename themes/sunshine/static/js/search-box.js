/* The header's search box: go to the search page with the words in the URL
 * fragment, which browsers never send to the server (a plain form would put
 * them in the query string, and so in the host's logs). */
(function () {
  "use strict";
  var box = document.querySelector("form.header-search");
  if (!box) return;
  box.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = box.querySelector("input[name=q]").value;
    location.href = box.getAttribute("action") + "#q=" + encodeURIComponent(q);
  });
})();
